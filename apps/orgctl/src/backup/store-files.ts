/**
 * The files of the embedded store, in the order they are copied, the
 * events last so that nothing copied refers to an event missing from the
 * copy. A reply copied without its events would, after a restore, answer a
 * retried command as accepted although its events are gone; events copied
 * without their reply are answered from the events. Read models copied
 * before the events are behind them and catch up from their checkpoint.
 * The keys come after the events, so that every event copied finds the key
 * of its personal data in the copy; a key destroyed before the keys are
 * copied is missing from the copy, as it should be.
 */
export const STORE_FILES = [
  'replies.sqlite',
  'read-models.sqlite',
  'events.sqlite',
  'keys.sqlite',
] as const;
