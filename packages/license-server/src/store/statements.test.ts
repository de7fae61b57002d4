import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { prepareStatements, sql } from './statements.js'

let db: Database.Database

beforeEach(() => {
  db = new Database(':memory:')
  db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)')
})

afterEach(() => {
  db.close()
})

describe('prepareStatements', () => {
  it('prepares every statement of the table under its name, ready to run', () => {
    const statements = prepareStatements(db, {
      insert: sql<[string]>('INSERT INTO items (name) VALUES (?)'),
      byName: sql<[string], { id: number; name: string }>('SELECT * FROM items WHERE name = ?'),
    })
    expect(Object.keys(statements)).toEqual(['insert', 'byName'])
    statements.insert.run('first')
    expect(statements.byName.get('first')).toEqual({ id: 1, name: 'first' })
    expect(statements.byName.get('other')).toBeUndefined()
  })

  it('fails when the store opens, not at first use, for SQL that does not prepare', () => {
    expect(() =>
      prepareStatements(db, {
        good: sql('SELECT 1'),
        bad: sql('SELECT * FROM missing_table'),
      }),
    ).toThrow(/no such table: missing_table/)
  })
})
