import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ServiceSetupError } from '../errors/errors';

/** A random password: 24 URL-safe characters (144 bits), usable as is in an AMQP URL and a ZooKeeper digest. */
export function randomPassword(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The JSON secrets kept in `file`, readable by their owner only (mode 0600, in a 0700 directory): read when the file
 * exists, else made by `make` and written first (atomically: a concurrent first start finds one file or the other's,
 * never half of one). A file whose content `valid` refuses is an error that names it, never silently replaced: the
 * servers were provisioned with what it held.
 */
export function loadOrCreateSecrets<T>(file: string, make: () => T, valid: (value: unknown) => value is T): T {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(file)) {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(make(), null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    try {
      // link fails when another process wrote the file meanwhile: then its secrets are the ones.
      fs.linkSync(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  // A copy restored without its mode (or an older one) is tightened rather than left readable.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    value = undefined;
  }
  if (!valid(value)) {
    throw new ServiceSetupError(`${file} is not a valid credentials file; delete it (and see README, Credentials, on rotating them)`);
  }
  return value;
}
