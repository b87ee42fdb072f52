/** `awn backup FILE`: SQLite's online backup API, or pg_dump in its custom format. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { describeDatabase, isPostgresUrl } from '../db/connect.js';

export async function backup(database: string, file: string): Promise<void> {
  if (existsSync(file)) throw new Error(`${file} already exists; choose a new file name`);
  if (isPostgresUrl(database)) {
    await run('pg_dump', ['--format=custom', '--file', file, database]);
  } else {
    if (!existsSync(database)) throw new Error(`no database at ${database}`);
    const source = new SqliteDatabase(database, { readonly: true, fileMustExist: true });
    const bar = new SingleBar({ format: 'backup [{bar}] {percentage}%', hideCursor: true });
    bar.start(100, 0);
    try {
      await source.backup(file, {
        progress: ({ totalPages, remainingPages }) => {
          bar.update(Math.round(((totalPages - remainingPages) / Math.max(totalPages, 1)) * 100));
          return 200;
        },
      });
    } finally {
      bar.stop();
      source.close();
    }
  }
  console.log(`Backed up ${describeDatabase(database)} to ${file}.`);
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}
