import type Database from 'better-sqlite3'

/** One statement's SQL with the parameters and row type it promises (better-sqlite3 cannot check them). */
export interface Sql<Params extends unknown[], Row> {
  readonly text: string
  /** Type only: never set. */
  readonly types?: (params: Params) => Row
}

type AnySql = { readonly text: string; readonly types?: (params: never) => unknown }

export type Statements<T extends Record<string, AnySql>> = {
  readonly [Name in keyof T]: T[Name] extends Sql<infer Params, infer Row>
    ? Database.Statement<Params, Row>
    : never
}

/** A statement's SQL, typed with its parameters and the row it reads. */
export function sql<Params extends unknown[] = [], Row = unknown>(text: string): Sql<Params, Row> {
  return { text }
}

/** Prepares every statement of a table once, when the store opens. */
export function prepareStatements<T extends Record<string, AnySql>>(
  db: Database.Database,
  table: T,
): Statements<T> {
  const prepared: Record<string, Database.Statement> = {}
  for (const [name, { text }] of Object.entries(table)) prepared[name] = db.prepare(text)
  return prepared as Statements<T>
}
