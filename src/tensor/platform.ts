/** How `util.now` and `util.fetch` reach the platform; `st.setPlatform` replaces them. */
export const platformHooks = {
  now: (): number => globalThis.performance.now(),
  fetch: (path: string, init?: RequestInit): Promise<Response> => {
    if (typeof globalThis.fetch !== 'function') throw new Error('util.fetch: this platform has no fetch; give one with st.setPlatform');
    return globalThis.fetch(path, init);
  },
};
