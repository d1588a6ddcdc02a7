/**
 * The side of the webgpu backend that holds the GPUDevice. It knows nothing of tensors: buffers
 * are numbered by the backend, kernels arrive as WGSL source with the buffers to bind, a uniform
 * block and a dispatch size. In a browser it runs in the page; in Node it runs in a worker
 * (worker.ts), so that the main thread can wait for a readback synchronously (Atomics.wait).
 *
 * Binding convention of every kernel: @group(0) @binding(i) for the i-th buffer of `buffers`
 * (storage, read or read_write as the WGSL declares it), then, when `uniforms` is given, one
 * uniform block at @binding(buffers.length).
 */

/* The WebGPU objects are typed loosely (`any`): the DOM lib of this TypeScript has no WebGPU
   declarations, and the backend must compile where the `webgpu` package is absent. */
/* eslint-disable @typescript-eslint/no-explicit-any */
type GpuObject = any;

export type Command =
  | { op: 'create'; id: number; bytes: number }
  | { op: 'destroy'; id: number }
  | { op: 'write'; id: number; data: ArrayBuffer }
  | { op: 'copy'; src: number; dst: number; bytes: number }
  | { op: 'run'; key: string; code: string; buffers: number[]; uniforms: ArrayBuffer | null;
      dispatch: [number, number, number] };

/** usage flags of every storage buffer (the WebGPU constants, spelled out for Node workers) */
const STORAGE = 0x0080, COPY_SRC = 0x0004, COPY_DST = 0x0008, MAP_READ = 0x0001, UNIFORM = 0x0040;
const MAP_MODE_READ = 0x0001;

export class Executor {
  private readonly buffers = new Map<number, GpuObject>();
  private readonly pipelines = new Map<string, GpuObject>();
  /** the first validation or compilation error since the last read, reported by the next read */
  private error: string | null = null;

  constructor(readonly device: GpuObject) {
    device.addEventListener?.('uncapturederror', (e: any) => {
      this.error ??= String(e?.error?.message ?? e);
    });
    device.lost?.then?.((info: any) => {
      this.error ??= `the GPU device was lost (${info?.message ?? 'no reason given'})`;
    });
  }

  get pipelineCount(): number {
    return this.pipelines.size;
  }

  apply(c: Command): void {
    switch (c.op) {
      case 'create':
        this.buffers.set(c.id, this.device.createBuffer({ size: c.bytes, usage: STORAGE | COPY_SRC | COPY_DST }));
        return;
      case 'destroy':
        this.buffers.get(c.id)?.destroy();
        this.buffers.delete(c.id);
        return;
      case 'write':
        if (c.data.byteLength > 0) this.device.queue.writeBuffer(this.get(c.id), 0, c.data);
        return;
      case 'copy': {
        if (c.bytes === 0) return;
        const enc = this.device.createCommandEncoder();
        enc.copyBufferToBuffer(this.get(c.src), 0, this.get(c.dst), 0, c.bytes);
        this.device.queue.submit([enc.finish()]);
        return;
      }
      case 'run':
        return this.run(c);
    }
  }

  private get(id: number): GpuObject {
    const b = this.buffers.get(id);
    if (!b) throw new Error(`webgpu executor: internal: no buffer ${id}`);
    return b;
  }

  /** Compiled once per key: the key names the kernel and every constant baked into its source. */
  private pipeline(key: string, code: string): GpuObject {
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(key, p);
    }
    return p;
  }

  private run(c: Extract<Command, { op: 'run' }>): void {
    const pipeline = this.pipeline(c.key, c.code);
    const entries = c.buffers.map((id, binding) => ({ binding, resource: { buffer: this.get(id) } }));
    let uniform: GpuObject = null;
    if (c.uniforms) {
      uniform = this.device.createBuffer({ size: Math.max(16, align(c.uniforms.byteLength, 16)), usage: UNIFORM | COPY_DST });
      this.device.queue.writeBuffer(uniform, 0, c.uniforms);
      entries.push({ binding: c.buffers.length, resource: { buffer: uniform } });
    }
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(c.dispatch[0], c.dispatch[1], c.dispatch[2]);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    // the queue keeps what it needs until the work is done
    uniform?.destroy();
  }

  /** The first `bytes` bytes of buffer `id`, through a staging buffer mapped for reading. */
  async read(id: number, bytes: number): Promise<ArrayBuffer> {
    const size = Math.max(4, align(bytes, 4));
    const staging = this.device.createBuffer({ size, usage: MAP_READ | COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.get(id), 0, staging, 0, size);
    this.device.queue.submit([enc.finish()]);
    try {
      await staging.mapAsync(MAP_MODE_READ);
      const out = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      return out;
    } finally {
      staging.destroy();
      this.throwPendingError();
    }
  }

  throwPendingError(): void {
    if (this.error) {
      const message = this.error;
      this.error = null;
      throw new Error(`webgpu backend: the GPU reported: ${message}`);
    }
  }
}

export function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
