import type { Log } from '../common/log';
import type { QueryHistorySource } from './types';

/**
 * The same reader, with one DEBUG line per history page: rows and time taken. Never the SQL or the connection,
 * so neither query text nor credentials reach the log.
 */
export function withPageLog(source: QueryHistorySource, log: Log): QueryHistorySource {
  return {
    get dialect() {
      return source.dialect;
    },
    async readPage(window, cursor, pageSize) {
      const startedAt = Date.now();
      try {
        const page = await source.readPage(window, cursor, pageSize);
        log.debug('history page read', { rows: page.rows.length, ms: Date.now() - startedAt, more: page.next !== null });
        return page;
      } catch (error) {
        log.debug('history page failed', { ms: Date.now() - startedAt, error });
        throw error;
      }
    },
    close: () => source.close(),
  };
}
