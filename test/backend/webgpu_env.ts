/**
 * Starting the webgpu backend for tests. On a machine without a GPU driver (CI), Dawn finds an
 * adapter only when the Vulkan loader is pointed at a software driver (it refuses Mesa's
 * lavapipe): Chromium's SwiftShader where it is installed, set here before the backend's worker
 * loads Dawn (the loader reads the variable then), so the tests run the same everywhere. A
 * VK_ICD_FILENAMES already set (a real GPU's driver) is kept.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as st from '../../src/index.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Null when the webgpu backend runs, else why it does not (the tests print it as their skip reason). */
export async function startWebGpu(): Promise<string | null> {
  if (process.platform === 'linux' && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) {
    process.env.VK_ICD_FILENAMES = SWIFTSHADER;
  }
  process.env.XDG_RUNTIME_DIR ??= tmpdir();
  try {
    await st.findBackend('webgpu').ready?.();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
