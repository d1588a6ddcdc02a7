/**
 * `tf.data.webcam` and `tf.data.microphone`: endless streams of camera frames and audio
 * spectrograms, in the browser only (they need `navigator.mediaDevices`, a <video> element and
 * the Web Audio API). In Node they fail at once with an error saying so.
 */
import { checkOptions } from '../tensor/options.js';
import { makeTensor } from '../tensor/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { DatasetIterator } from './dataset.js';

export interface WebcamConfig {
  facingMode?: 'user' | 'environment';
  deviceId?: string;
  /** the width of the frames handed out (the video's width by default) */
  resizeWidth?: number;
  resizeHeight?: number;
  /** take a resizeWidth x resizeHeight window from the middle of the frame instead of scaling the whole frame */
  centerCrop?: boolean;
}

export interface MicrophoneConfig {
  sampleRateHz?: 44100 | 48000;
  /** frequency bins per frame, a power of two from 16 to 16384; default 1024 */
  fftSize?: number;
  /** bins kept per frame (the lowest ones); default fftSize */
  columnTruncateLength?: number;
  /** frames per spectrogram; default 43 */
  numFramesPerSpectrogram?: number;
  audioTrackConstraints?: MediaTrackConstraints;
  smoothingTimeConstant?: number;
  /** default true */
  includeSpectrogram?: boolean;
  /** default false */
  includeWaveform?: boolean;
}

function inBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined' && typeof navigator !== 'undefined';
}

function requireMedia(door: string): void {
  if (!inBrowser()) {
    throw new Error(`${door}: only in a browser, which has a camera and microphone API (navigator.mediaDevices); ` +
      'this runtime has none (in Node, read recorded images or audio from files instead)');
  }
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error(`${door}: this browser gives no access to media devices (navigator.mediaDevices.getUserMedia is missing; pages need https)`);
  }
}

/** Camera frames as [height, width, 3] tensors (int32 0..255; float32 when resized, as in tf.data). */
export class WebcamIterator extends DatasetIterator<Tensor> {
  private stream: MediaStream | null = null;
  private readonly canvas: HTMLCanvasElement;
  private closed = true;

  private constructor(private readonly video: HTMLVideoElement, private readonly config: WebcamConfig) {
    super({ next: () => this.frame() });
    this.canvas = document.createElement('canvas');
  }

  static async create(video?: HTMLVideoElement, config: WebcamConfig = {}): Promise<WebcamIterator> {
    requireMedia('data.webcam');
    if (!video) {
      if (!config.resizeWidth || !config.resizeHeight) {
        throw new Error('data.webcam: give a <video> element, or resizeWidth and resizeHeight for a hidden one');
      }
      video = document.createElement('video');
      video.width = config.resizeWidth;
      video.height = config.resizeHeight;
    }
    if (config.facingMode && config.facingMode !== 'user' && config.facingMode !== 'environment') {
      throw new Error(`data.webcam: facingMode must be 'user' or 'environment', got ${JSON.stringify(config.facingMode)}`);
    }
    const it = new WebcamIterator(video, config);
    await it.start();
    return it;
  }

  /** Opens the camera (again, after stop()). */
  async start(): Promise<void> {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { deviceId: this.config.deviceId, facingMode: this.config.facingMode ?? 'user', width: this.video.width, height: this.video.height },
      });
    } catch (e) {
      throw new Error(`data.webcam: the camera could not be opened: ${(e as Error).message}`);
    }
    const loaded = new Promise<void>((resolve) => { this.video.onloadedmetadata = () => resolve(); });
    this.video.srcObject = this.stream;
    void this.video.play();
    this.closed = false;
    await loaded;
  }

  private async frame(): Promise<IteratorResult<Tensor>> {
    if (this.closed) return { value: undefined, done: true };
    const { video, config } = this;
    const w = video.width || video.videoWidth;
    const h = video.height || video.videoHeight;
    const outW = config.resizeWidth || w;
    const outH = config.resizeHeight || h;
    const resized = outW !== w || outH !== h;
    // the source window in the video's own pixels (the element may show it scaled)
    const sx = video.videoWidth / w;
    const sy = video.videoHeight / h;
    const [cw, ch] = resized && config.centerCrop ? [outW, outH] : [w, h];
    this.canvas.width = outW;
    this.canvas.height = outH;
    const ctx = this.canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('data.webcam: no 2-D canvas context to read frames with');
    ctx.drawImage(video, ((w - cw) / 2) * sx, ((h - ch) / 2) * sy, cw * sx, ch * sy, 0, 0, outW, outH);
    const rgba = ctx.getImageData(0, 0, outW, outH).data;
    const rgb = resized ? new Float32Array(outW * outH * 3) : new Int32Array(outW * outH * 3);
    for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
      rgb[q] = rgba[p];
      rgb[q + 1] = rgba[p + 1];
      rgb[q + 2] = rgba[p + 2];
    }
    return { value: makeTensor(rgb, [outH, outW, 3], resized ? 'float32' : 'int32'), done: false };
  }

  /** The current frame. */
  async capture(): Promise<Tensor> {
    const r = await this.next();
    if (r.done) throw new Error('data.webcam: the camera is stopped; call start() first');
    return r.value;
  }

  /** Closes the camera; next() then reports the end. */
  stop(): void {
    this.stream?.getTracks().forEach((t) => t.stop());
    this.video.srcObject = null;
    this.closed = true;
  }

  override async toArray(): Promise<Tensor[]> {
    throw new Error('data.webcam: a camera stream is endless; it cannot become an array');
  }
}

export interface AudioData {
  /** [numFrames, columnTruncateLength, 1] decibels */
  spectrogram?: Tensor;
  /** [numFrames * fftSize, 1] samples */
  waveform?: Tensor;
}

/** Microphone sound as spectrograms (and waveforms), one capture per `next()`. */
export class MicrophoneIterator extends DatasetIterator<AudioData> {
  private stream: MediaStream | null = null;
  private context: AudioContext | null = null;
  private analyser: AnalyserNode | null = null;
  private closed = false;
  private readonly fftSize: number;
  private readonly numFrames: number;
  private readonly columnTruncateLength: number;
  private sampleRateHz: number | undefined;

  private constructor(private readonly config: MicrophoneConfig) {
    super({ next: () => this.capture_() });
    this.fftSize = config.fftSize || 1024;
    const log2 = Math.log2(this.fftSize);
    if (!Number.isInteger(log2) || log2 < 4 || log2 > 14) {
      throw new Error(`data.microphone: fftSize must be a power of two from 16 to 16384, got ${config.fftSize}`);
    }
    this.numFrames = config.numFramesPerSpectrogram || 43;
    this.columnTruncateLength = config.columnTruncateLength || this.fftSize;
    this.sampleRateHz = config.sampleRateHz;
    if (config.includeSpectrogram === false && config.includeWaveform !== true) {
      throw new Error('data.microphone: includeSpectrogram is false and includeWaveform is not true; nothing would be captured');
    }
  }

  static async create(config: MicrophoneConfig = {}): Promise<MicrophoneIterator> {
    requireMedia('data.microphone');
    const it = new MicrophoneIterator(config);
    await it.start();
    return it;
  }

  async start(): Promise<void> {
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: this.config.audioTrackConstraints ?? true, video: false });
    } catch (e) {
      throw new Error(`data.microphone: the microphone could not be opened: ${(e as Error).message}`);
    }
    const Ctx = window.AudioContext ?? (window as unknown as { webkitAudioContext: typeof AudioContext }).webkitAudioContext;
    this.context = new Ctx();
    if (this.sampleRateHz === undefined) this.sampleRateHz = this.context.sampleRate;
    else if (this.context.sampleRate !== this.sampleRateHz) {
      throw new Error(`data.microphone: sampleRateHz is ${this.sampleRateHz} but the audio device runs at ${this.context.sampleRate}`);
    }
    this.analyser = this.context.createAnalyser();
    // the analyser's fftSize counts samples; its frequencyBinCount (half of it) is our fftSize
    this.analyser.fftSize = this.fftSize * 2;
    this.analyser.smoothingTimeConstant = this.config.smoothingTimeConstant || 0;
    this.context.createMediaStreamSource(this.stream).connect(this.analyser);
    this.closed = false;
  }

  getSampleRate(): number | undefined {
    return this.sampleRateHz;
  }

  private async capture_(): Promise<IteratorResult<AudioData>> {
    if (this.closed || !this.analyser) return { value: undefined, done: true };
    const analyser = this.analyser;
    const wantSpectrogram = this.config.includeSpectrogram !== false;
    const wantWaveform = this.config.includeWaveform === true;
    const freq = new Float32Array(this.numFrames * this.columnTruncateLength);
    const wave = new Float32Array(this.numFrames * this.fftSize);
    const bins = new Float32Array(this.fftSize);
    const samples = new Float32Array(this.fftSize);
    // one frame per fftSize samples of time; frames not captured (silence at start) stay zero at the front
    const frames: number = await new Promise((resolve) => {
      let n = 0;
      const timer = setInterval(() => {
        if (wantSpectrogram) {
          analyser.getFloatFrequencyData(bins);
          if (bins[0] === -Infinity) { clearInterval(timer); resolve(n); return; }
          freq.set(bins.subarray(0, this.columnTruncateLength), n * this.columnTruncateLength);
        }
        if (wantWaveform) {
          analyser.getFloatTimeDomainData(samples);
          wave.set(samples, n * this.fftSize);
        }
        if (++n === this.numFrames) { clearInterval(timer); resolve(n); }
      }, (this.fftSize / this.sampleRateHz!) * 1000);
    });
    const alignEnd = (data: Float32Array, perFrame: number): Float32Array => {
      const out = new Float32Array(data.length);
      out.set(data.subarray(0, frames * perFrame), data.length - frames * perFrame);
      return out;
    };
    const value: AudioData = {};
    if (wantSpectrogram) value.spectrogram = makeTensor(alignEnd(freq, this.columnTruncateLength), [this.numFrames, this.columnTruncateLength, 1], 'float32');
    if (wantWaveform) value.waveform = makeTensor(alignEnd(wave, this.fftSize), [this.numFrames * this.fftSize, 1], 'float32');
    return { value, done: false };
  }

  async capture(): Promise<AudioData> {
    const r = await this.next();
    if (r.done) throw new Error('data.microphone: the microphone is stopped');
    return r.value;
  }

  stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.analyser?.disconnect();
    void this.context?.close();
    this.stream?.getTracks().forEach((t) => t.stop());
  }

  override async toArray(): Promise<AudioData[]> {
    throw new Error('data.microphone: a microphone stream is endless; it cannot become an array');
  }
}

/**
 * Frames from the camera (browser only).
 *
 * @example
 * ```ts browser
 * // browser only: asks for the camera
 * const camera = await st.data.webcam(document.querySelector('video')!, { resizeWidth: 224, resizeHeight: 224 });
 * const frame = await camera.capture(); // int32 [224, 224, 3]
 * frame.print();
 * camera.stop();
 * ```
 */
export async function webcam(webcamVideoElement?: HTMLVideoElement, webcamConfig?: WebcamConfig): Promise<WebcamIterator> {
  checkOptions('data.webcam', webcamConfig, ['facingMode', 'deviceId', 'resizeWidth', 'resizeHeight', 'centerCrop']);
  return WebcamIterator.create(webcamVideoElement, webcamConfig);
}

/**
 * Spectrograms from the microphone (browser only).
 *
 * @example
 * ```ts browser
 * // browser only: asks for the microphone
 * const mic = await st.data.microphone({ fftSize: 1024, columnTruncateLength: 232, numFramesPerSpectrogram: 43 });
 * const { spectrogram } = await mic.capture(); // [43, 232, 1]
 * console.log(spectrogram!.shape);
 * mic.stop();
 * ```
 */
export async function microphone(microphoneConfig?: MicrophoneConfig): Promise<MicrophoneIterator> {
  checkOptions('data.microphone', microphoneConfig, ['sampleRateHz', 'fftSize', 'columnTruncateLength', 'numFramesPerSpectrogram',
    'audioTrackConstraints', 'smoothingTimeConstant', 'includeSpectrogram', 'includeWaveform']);
  return MicrophoneIterator.create(microphoneConfig);
}
