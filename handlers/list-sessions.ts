import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

const sessions = sessionService(); // at INIT: a wrong setting stops the function there, naming the variable

export const handler = httpHandler(async (event) => json(200, { items: await sessions.list(callerOf(event)) }));
