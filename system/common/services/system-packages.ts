import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { ServiceSetupError } from '../errors/errors';
import type { Logger } from '../logging/logger';

/** True when `file` exists and is executable, or when `command` is found on PATH. */
export function hasExecutable(fileOrCommand: string): boolean {
  if (fileOrCommand.includes('/')) {
    try {
      fs.accessSync(fileOrCommand, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }
  return spawnSync('sh', ['-c', `command -v ${fileOrCommand}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes sure a Debian package is installed, installing it with apt-get when allowed and possible (root on Debian).
 * Otherwise fails with a message that says exactly what to install, or which variable points at a running server.
 */
export function ensureDebianPackage(opts: {
  pkg: string;
  present: () => boolean;
  autoInstall: boolean;
  alternative: string;
  log: Logger;
}): void {
  if (opts.present()) return;
  const manual = `install it with: sudo apt-get install -y ${opts.pkg} (or ${opts.alternative})`;
  if (!opts.autoInstall) throw new ServiceSetupError(`${opts.pkg} is not installed and SERVICES_AUTO_INSTALL=false; ${manual}`);
  if (process.getuid?.() !== 0 || !hasExecutable('apt-get')) {
    throw new ServiceSetupError(`${opts.pkg} is not installed and this process cannot install it (needs root and apt-get); ${manual}`);
  }
  opts.log.info({ pkg: opts.pkg }, 'installing missing Debian package (apt-get install)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => execFileSync('apt-get', ['install', '-y', '--no-install-recommends', opts.pkg], { env, stdio: 'pipe' });
  try {
    install();
  } catch {
    // The package lists may be missing or stale on a fresh machine.
    try {
      execFileSync('apt-get', ['update'], { env, stdio: 'pipe' });
      install();
    } catch (err) {
      const detail = (err as { stderr?: Buffer }).stderr?.toString().trim().split('\n').slice(-3).join(' | ') ?? String(err);
      throw new ServiceSetupError(`apt-get could not install ${opts.pkg}: ${detail}; ${manual}`);
    }
  }
  if (!opts.present()) throw new ServiceSetupError(`${opts.pkg} was installed but is still not usable; ${manual}`);
}
