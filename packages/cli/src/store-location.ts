// Where the CLI keeps what it must remember: the embedded SQLite file by default, PostgreSQL or
// memory when asked — the same locations `kequn serve` understands, so every command and the server
// open a store the same way. Store packages load on demand.
export { openServerStore as openStoreAt } from '@kequn/server';
