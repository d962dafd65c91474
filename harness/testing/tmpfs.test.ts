import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTmpfsMount, mountTmpfs } from './tmpfs';

// Real mounts: as root (CI) the tmpfs mounts and fills at its size; elsewhere mounting fails and says why.
test('a size-limited tmpfs mounts as root, fills at its size, and unmounts; without the right it says why', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmpfs-'));
  try {
    const t = await mountTmpfs(path.join(dir, 'disk'), 1);
    if (process.getuid?.() !== 0) {
      expect(t).toMatchObject({ mounted: false, why: expect.any(String) });
      return;
    }
    expect(t.mounted).toBe(true);
    expect(isTmpfsMount(path.join(dir, 'disk'))).toBe(true);
    expect(() => fs.writeFileSync(path.join(dir, 'disk', 'big'), Buffer.alloc(2 * 1024 * 1024))).toThrow(/ENOSPC/);
    if (t.mounted) await t.unmount();
    expect(isTmpfsMount(path.join(dir, 'disk'))).toBe(false);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a directory that is no mount point is not a tmpfs of its own', () => {
  expect(isTmpfsMount(os.tmpdir() + '/no-such-mount')).toBe(false);
});
