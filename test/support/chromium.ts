import { statSync } from 'node:fs';

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set, else a
 * system Chromium (Debian's is the fastest to start), else the one the
 * `@sparticuz/chromium` devDependency ships (unpacked once to the temp
 * folder), so that `npm test` runs the browser tests on a machine with only
 * Node.js and npm.
 */
export interface ResolvedChromium {
  executablePath: string;
  /** Said once per run: which browser the tests used. */
  description: string;
  /** Flags the packaged build needs besides the usual headless ones. */
  extraArgs: string[];
}

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function resolveChromium(): Promise<ResolvedChromium> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) return { executablePath: configured, description: `CHROMIUM_PATH (${configured})`, extraArgs: [] };
  const system = SYSTEM_CANDIDATES.find(isRegularFile);
  if (system) return { executablePath: system, description: `the system Chromium (${system})`, extraArgs: [] };
  const packaged = (await import('@sparticuz/chromium')).default;
  const executablePath = await packaged.executablePath();
  return { executablePath, description: `the packaged Chromium of @sparticuz/chromium (${executablePath})`, extraArgs: ['--no-zygote'] };
}
