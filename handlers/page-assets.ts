import { httpHandler } from '../lib/http/handler';
import { pathParameter } from '../lib/http/caller';
import { staticAsset } from '../lib/http/responses';
import { assetNamed } from '../lib/pages/assets';

/** The pages' CSS and script, under content-hashed names: cached for a year. */
export const handler = httpHandler(async (event) => staticAsset(assetNamed(pathParameter(event, 'file'))));
