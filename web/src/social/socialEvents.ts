/** Lets lists that are on screen reload when a live event changes them. */
type Topic = 'friends' | 'requests' | 'pictures' | 'blocked';
const listeners = new Map<Topic, Set<() => void>>();

export const socialChanged = {
  emit(topic: Topic): void {
    for (const listener of [...(listeners.get(topic) ?? [])]) listener();
  },
  on(topic: Topic, listener: () => void): () => void {
    let set = listeners.get(topic);
    if (!set) listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set!.delete(listener);
  },
};
