/**
 * The fp32 peak of known GPUs (plain FP32 FMA rate, no tensor cores, at the vendors' boost clock,
 * from their spec sheets), found by the adapter's name or description, so the webgpu benchmark
 * can say what share of the GPU a GEMM reaches. The first pattern that matches wins, so the more
 * specific names come first. A GPU that is not here is reported as unknown, never guessed.
 */
export const FP32_PEAK_TFLOPS: [pattern: RegExp, name: string, tflops: number][] = [
  [/H200/i, 'NVIDIA H200 (SXM)', 67],
  [/H100.*PCIe/i, 'NVIDIA H100 PCIe', 51.2],
  [/H100/i, 'NVIDIA H100 SXM', 67],
  [/A100/i, 'NVIDIA A100', 19.5],
  [/L40S/i, 'NVIDIA L40S', 91.6],
  [/\bL4\b/i, 'NVIDIA L4', 30.3],
  [/\bA10G\b/i, 'NVIDIA A10G', 31.2],
  [/\bA10\b/i, 'NVIDIA A10', 31.2],
  [/\bT4\b/i, 'NVIDIA T4', 8.1],
  [/V100/i, 'NVIDIA V100 (SXM2)', 15.7],
  [/RTX 4090/i, 'NVIDIA GeForce RTX 4090', 82.6],
  [/RTX 4080/i, 'NVIDIA GeForce RTX 4080', 48.7],
  [/RTX 3090/i, 'NVIDIA GeForce RTX 3090', 35.6],
  [/RTX 3080/i, 'NVIDIA GeForce RTX 3080', 29.8],
  [/RTX 3070/i, 'NVIDIA GeForce RTX 3070', 20.3],
  [/RTX 2080 Ti/i, 'NVIDIA GeForce RTX 2080 Ti', 13.4],
  [/RX 7900 XTX/i, 'AMD Radeon RX 7900 XTX', 61.4],
  [/M1 Max/i, 'Apple M1 Max (32-core GPU)', 10.4],
  [/M1 Pro/i, 'Apple M1 Pro (16-core GPU)', 5.2],
  [/\bM1\b/i, 'Apple M1 (8-core GPU)', 2.6],
  [/\bM2\b/i, 'Apple M2 (10-core GPU)', 3.6],
];

/** The known peak for an adapter described by `text`, or undefined. */
export function fp32Peak(text: string): { name: string; tflops: number } | undefined {
  const hit = FP32_PEAK_TFLOPS.find(([pattern]) => pattern.test(text));
  return hit ? { name: hit[1], tflops: hit[2] } : undefined;
}
