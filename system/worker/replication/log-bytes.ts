/*
 * How much of the broker's disk a syncQ record takes, estimated from its body. A stream stores each message with its
 * AMQP properties and headers plus chunk and index entries; measured on RabbitMQ 3.10 with our properties, about 130
 * bytes beside a 283-byte body. The estimate doubles that, so that it stays above the real size: the bounded log
 * (log-budget.ts) may then only stop writes too early, never let retention drop a record no snapshot covers.
 */
export const RECORD_OVERHEAD_BYTES = 256;

export function storedBytes(bodyBytes: number): number {
  return bodyBytes + RECORD_OVERHEAD_BYTES;
}
