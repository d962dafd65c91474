/*
 * The one line a RideShare service prints on stdout once it listens. The launcher of `npm start` reads it to learn
 * where a service started with port 0 ended up; people read it too.
 */

export function listeningLine(service: string, url: string): string {
  return `rideshare ${service} listening on ${url}`;
}

export function parseListeningLine(service: string, line: string): string | undefined {
  const prefix = `rideshare ${service} listening on `;
  return line.startsWith(prefix) ? line.slice(prefix.length).trim() : undefined;
}
