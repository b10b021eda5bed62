// A zone name as typed on the command line to a wire name.
import { nameFromText, nameLower, type Name } from '../wire/index.js';
import { CliError } from './cli-error.js';

/** "example.com" or "example.com." to the lowercased wire name; a malformed name is a USAGE error. */
export function parseZoneNameArgument(text: string): Name {
  const absolute = text.endsWith('.') ? text : `${text}.`;
  try {
    return nameLower(nameFromText(absolute));
  } catch (err) {
    throw new CliError('USAGE', `zone name "${text}" is not a valid domain name: ${(err as Error).message}`);
  }
}
