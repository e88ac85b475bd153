import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { describeAdapter, type WebGPUAdapterLike } from './select';

/**
 * WebGPU for tfjs in Node, through Dawn (the `webgpu` package). Node-only: `select.ts` loads
 * this module with a specifier the browser bundler does not follow.
 *
 * With no GPU, Dawn runs on SwiftShader, the software Vulkan driver that ships with Chromium.
 * Debian's own software driver (lavapipe) is too old for Dawn.
 */

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/**
 * Vulkan loaders to try when none is on the library path. Chromium ships its own; Dawn only
 * looks for `libvulkan.so.1` next to dawn.node and on the default search path.
 */
const VULKAN_LOADERS = [
  // A machine without a system Vulkan loader can name one (a bundled benchmark carries one).
  ...(process.env.GANVAS_VULKAN_LOADER ? [process.env.GANVAS_VULKAN_LOADER] : []),
  'libvulkan.so.1',
  '/usr/lib/chromium/libvulkan.so.1',
];

/** glibc's RTLD_NODELETE, which Node's os.constants.dlopen leaves out. */
const RTLD_NODELETE = 0x1000;

/** Dawn's native module, when the `webgpu` package is not installed (a bundled benchmark). */
const DAWN_NODE_VARIABLE = 'GANVAS_DAWN_NODE';

interface DawnModule {
  create(flags: string[]): unknown;
  globals: object;
}

interface GPULike {
  requestAdapter(options?: { powerPreference?: string }): Promise<WebGPUAdapterLike | null>;
}

let installation: Promise<{ adapterInfo: string }> | undefined;

/**
 * Loads a Vulkan loader into the process and keeps it there, so that Dawn's later
 * `dlopen('libvulkan.so.1')` finds it by its soname. LD_LIBRARY_PATH would do the same but is
 * read only when the process starts. Node's dlopen throws "did not self-register" for a library
 * that is not a Node addon, after loading it; RTLD_NODELETE keeps it loaded past that.
 * Returns the loader that loaded, or the errors of all attempts.
 */
function loadVulkanLoader(): { loaded?: string; errors: string[] } {
  const errors: string[] = [];
  if (process.platform !== 'linux') return { errors };
  for (const candidate of VULKAN_LOADERS) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    try {
      process.dlopen({ exports: {} }, candidate, constants.dlopen.RTLD_NOW | RTLD_NODELETE);
      return { loaded: candidate, errors };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message.includes('did not self-register')) return { loaded: candidate, errors };
      errors.push(message);
    }
  }
  return { errors };
}

/**
 * Dawn from $GANVAS_DAWN_NODE, else the optional `webgpu` package, else a dawn.node beside the
 * running script (how a bundled benchmark travels to a machine without npm).
 */
async function loadDawn(): Promise<DawnModule> {
  const require = createRequire(import.meta.url);
  const explicit = process.env[DAWN_NODE_VARIABLE];
  if (explicit) return require(explicit) as DawnModule;
  try {
    return (await import('webgpu')) as DawnModule;
  } catch (error) {
    const script = process.argv[1];
    const beside = script ? join(dirname(script), 'dawn.node') : undefined;
    if (beside && existsSync(beside)) return require(beside) as DawnModule;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      'WebGPU is not available: the optional package "webgpu" (Dawn for Node) is not installed ' +
        `(${reason}). Install it with "npm install webgpu", or set ${DAWN_NODE_VARIABLE} to a ` +
        'dawn.node file; the cpu backend needs neither.',
      { cause: error },
    );
  }
}

async function install(): Promise<{ adapterInfo: string }> {
  // The Vulkan loader reads VK_ICD_FILENAMES when Dawn creates its instance, so set it first.
  if (existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES ??= SWIFTSHADER_ICD;
  const vulkan = loadVulkanLoader();

  const { create, globals } = await loadDawn();
  Object.assign(globalThis, globals);
  // Dawn's own flags, e.g. "enable-dawn-features=allow_unsafe_apis" for timestamp queries.
  const flags = (process.env.GANVAS_DAWN_FLAGS ?? '').split(/\s+/).filter((flag) => flag);
  const gpu = create(flags) as unknown as GPULike;
  // Node 21+ defines a global navigator (a getter on globalThis); Node 20 has none.
  const existing: unknown = (globalThis as { navigator?: unknown }).navigator;
  if (typeof existing === 'object' && existing !== null && Object.isExtensible(existing)) {
    Object.defineProperty(existing, 'gpu', { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu },
      configurable: true,
      writable: true,
    });
  }

  // tfjs requests its own adapter and fails on a null one with "Cannot read properties of null
  // (reading 'features')"; asking first gives a reason a user can act on.
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    const loader = vulkan.loaded
      ? `Vulkan loader ${vulkan.loaded}`
      : `no Vulkan loader (${vulkan.errors.join('; ') || 'not on Linux'})`;
    throw new Error(
      `WebGPU is not available: Dawn found no adapter (VK_ICD_FILENAMES=` +
        `${process.env.VK_ICD_FILENAMES ?? 'unset'}, ${loader})`,
    );
  }

  await import('@tensorflow/tfjs-backend-webgpu');
  return { adapterInfo: describeAdapter(adapter) };
}

/**
 * Makes `navigator.gpu` exist in Node and registers the tfjs webgpu backend. Idempotent: later
 * calls return the first call's result. Throws "WebGPU is not available: ..." when Dawn finds
 * no adapter. Dawn's GPU object can keep Node's event loop alive (webgpu 0.6.2 here lets Node exit, earlier
 * builds did not): programs that used it should end with process.exit.
 */
export function installNodeWebGPU(): Promise<{ adapterInfo: string }> {
  installation ??= install();
  return installation;
}
