import type { Decoded, HttpHeaders } from '@lineage/events';
import { fromHttpBinary } from '@lineage/events';
import type { KafkaMessage } from './kafka-transport.port';

const ATTRIBUTE_PREFIX = 'ce_';
/** Section 3: a `content-type` with this prefix means structured mode, whatever other headers say. */
const STRUCTURED_PREFIX = /^application\/cloudevents/i;

/**
 * CloudEvents Kafka protocol binding, binary content mode (section 3.2): the attributes travel as
 * `ce_<name>` headers (UTF-8), `content-type` is `datacontenttype`, the value is `data`. A message
 * is read as binary mode when it has a `ce_specversion` header and its `content-type` does not
 * name a CloudEvents event format; otherwise null (structured mode or a native format: the value
 * is the whole document).
 *
 * The attribute rules are the HTTP binding's (`fromHttpBinary`), reused: only the header prefix
 * differs, and Kafka header values are plain UTF-8 where HTTP ones are percent-encoded, so a
 * literal `%` is escaped before the shared decoder unescapes it.
 */
export function fromKafkaBinary(message: Pick<KafkaMessage, 'headers' | 'value'>): Decoded<unknown> | null {
  const headers: Record<string, string> = {};
  let contentType: string | undefined;
  for (const [rawName, rawValue] of message.headers) {
    const name = rawName.toLowerCase();
    const value = rawValue.toString('utf8');
    if (name === 'content-type') contentType = value;
    else if (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length) {
      headers[`ce-${name.slice(ATTRIBUTE_PREFIX.length)}`] = value.replace(/%/g, '%25');
    }
  }
  if (headers['ce-specversion'] === undefined) return null;
  if (contentType !== undefined && STRUCTURED_PREFIX.test(contentType)) return null;
  const httpHeaders: HttpHeaders = contentType === undefined ? headers : { ...headers, 'content-type': contentType };
  return fromHttpBinary(httpHeaders, message.value);
}
