/** TerminateOnNaN and CSVLogger: callbacks that watch and record. */
import { BaseCallback, type Logs } from './callback_base.js';
import { output } from './progress.js';

/** Stops training at the first batch whose loss is NaN or infinite, saying where. */
export class TerminateOnNaN extends BaseCallback {
  private epoch = 0;
  /** the message written when it stopped training, or null */
  message: string | null = null;

  onTrainBegin(): void {
    this.message = null;
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      const steps = this.params?.steps;
      const epochs = this.params?.epochs;
      this.message = `terminateOnNaN: loss is ${loss} at epoch ${this.epoch + 1}${epochs ? `/${epochs}` : ''}, ` +
        `batch ${batch + 1}${steps ? `/${steps}` : ''}; training stopped`;
      output.warn(this.message);
      this.trainingModel.stopTraining = true;
    }
  }
}

export interface CSVLoggerArgs {
  filename: string;
  /** between columns (default ',') */
  separator?: string;
  /** add to an existing file rather than replace it (default false) */
  append?: boolean;
}

/**
 * Writes one row per epoch (epoch, then the logs in sorted key order) to a CSV file. The whole
 * file is rewritten atomically at the end of each epoch (temp file, fsync, rename), so a crash
 * leaves the previous version whole.
 */
export class CSVLogger extends BaseCallback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  private keys: string[] | null = null;
  private content = '';

  constructor(args: CSVLoggerArgs) {
    super();
    if (!args || typeof args.filename !== 'string' || args.filename === '') {
      throw new Error(`csvLogger: filename must be a non-empty string, got ${JSON.stringify(args?.filename)}`);
    }
    this.filename = args.filename;
    this.separator = args.separator ?? ',';
    this.append = args.append ?? false;
  }

  async onTrainBegin(): Promise<void> {
    const fs = await import('node:fs');
    this.keys = null;
    this.content = '';
    if (this.append && fs.existsSync(this.filename)) {
      this.content = fs.readFileSync(this.filename, 'utf8');
      if (this.content && !this.content.endsWith('\n')) this.content += '\n';
      const header = this.content.split('\n')[0];
      if (header) this.keys = header.split(this.separator).slice(1);
    }
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.keys) {
      this.keys = Object.keys(logs).sort();
      this.content += ['epoch', ...this.keys].join(this.separator) + '\n';
    }
    const row = [String(epoch), ...this.keys.map((k) => (logs[k] === undefined ? '' : String(logs[k])))];
    this.content += row.join(this.separator) + '\n';
    await writeAtomic(this.filename, this.content);
  }
}

/** Writes a file so that it is either the old or the new version, never a torn one. */
export async function writeAtomic(filename: string, content: string): Promise<void> {
  const fs = await import('node:fs');
  const temp = `${filename}.tmp-${process.pid}`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, filename);
}

