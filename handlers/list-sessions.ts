import { sessionService } from '../lib/dependencies/sessions';
import { callerOf } from '../lib/http/caller';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

export const handler = httpHandler(async (event) => json(200, { items: await sessionService().list(callerOf(event)) }));
