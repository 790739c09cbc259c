import type Database from 'better-sqlite3';

/**
 * Makes `db.prepare` compile each SQL text once per connection and hand back the same statement
 * after that. The journal and the vault index run a few fixed texts over and over (a session
 * writes a dozen rows), and compiling costs more than running. Only for code that runs its
 * statements to the end (`run`, `get`, `all`) and never changes a statement's mode (`pluck`,
 * `raw`, `expand`): a shared statement would keep the mode.
 */
export function rememberStatements(db: Database.Database): void {
  const compile = db.prepare.bind(db);
  const compiled = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let statement = compiled.get(sql);
    if (!statement) compiled.set(sql, (statement = compile(sql)));
    return statement;
  }) as typeof db.prepare;
}
