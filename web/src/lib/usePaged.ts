import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Page } from '../api/types';

/**
 * A paginated list (`count`/`next`/`results`): the first page on mount and
 * whenever `url` changes, more from `next` on demand.
 */
export function usePaged<T>(url: string | null) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const load = useCallback(async (target: string, append: boolean) => {
    const mine = ++generation.current;
    setLoading(true);
    const result = await api<Page<T> | T[]>('GET', target);
    if (mine !== generation.current) return;
    setLoading(false);
    if (!result.ok) {
      setError('Unable to load this list.');
      return;
    }
    setError(null);
    const page = Array.isArray(result.data) ? { results: result.data, next: null } : result.data;
    setItems((previous) => (append ? [...previous, ...page.results] : page.results));
    setNext(page.next);
  }, []);

  const reload = useCallback(() => {
    if (url) void load(url, false);
  }, [url, load]);

  useEffect(() => {
    setItems([]);
    setNext(null);
    reload();
  }, [reload]);

  const loadMore = useCallback(() => {
    if (next && !loading) void load(next, true);
  }, [next, loading, load]);

  return { items, setItems, hasMore: next !== null, loadMore, reload, loading, error };
}
