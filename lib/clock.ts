/** Milliseconds since the epoch. Injected so that tests can freeze time honestly. */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export const epochSeconds = (clock: Clock): number => Math.floor(clock() / 1000);
