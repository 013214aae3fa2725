// The browser tests drive whole journeys through `npm start` on a shared two-core machine.
jest.setTimeout(120_000);
