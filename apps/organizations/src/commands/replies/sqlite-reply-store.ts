import Database from 'better-sqlite3';

import type { CommandAnswer, ReplyStore, StoredReply } from './reply-store.js';

interface Row {
  readonly fingerprint: string;
  readonly reply: string;
}

/**
 * Replies in a SQLite file of their own. Written with `synchronous = NORMAL`:
 * in WAL mode that survives a crash of the process, and a reply lost to a
 * power cut is rebuilt from the events the command recorded.
 */
export class SqliteReplyStore implements ReplyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string], Row>;
  private readonly insert: Database.Statement<[string, string, string, string]>;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS command_replies (
      command_id TEXT PRIMARY KEY,
      fingerprint TEXT NOT NULL,
      reply TEXT NOT NULL,
      stored_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    this.select = this.db.prepare(
      'SELECT fingerprint, reply FROM command_replies WHERE command_id = ?',
    );
    this.insert = this.db.prepare(
      'INSERT OR IGNORE INTO command_replies VALUES (?, ?, ?, ?)',
    );
  }

  get(commandId: string): Promise<StoredReply | null> {
    const row = this.select.get(commandId);
    if (row === undefined) return Promise.resolve(null);
    const reply = JSON.parse(row.reply) as CommandAnswer;
    return Promise.resolve({ commandId, fingerprint: row.fingerprint, reply });
  }

  put(stored: StoredReply): Promise<void> {
    const reply = JSON.stringify(stored.reply);
    this.insert.run(
      stored.commandId,
      stored.fingerprint,
      reply,
      new Date().toISOString(),
    );
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
