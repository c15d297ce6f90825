import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Takes the engine's lock on a data folder: an `engine.pid` file created exclusively. A lock
 * left by a process that no longer runs is taken over. A live one raises an error, because two
 * engines on one LMDB store and one consumer overwrite each other's actors.
 */
export function lockDataDir(dataDir: string): { release: () => void } {
  const path = join(dataDir, 'engine.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return { release: () => rmSync(path, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (Number.isSafeInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new Error(`SWITCHYARD_DATA_DIR="${dataDir}" is in use by another engine (pid ${owner}); stop it or give this engine another folder`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}; remove it if no engine is running`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
