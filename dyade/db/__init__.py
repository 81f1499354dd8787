"""Database plumbing below every app: Dyade's SQLite backend and prepared statements."""
