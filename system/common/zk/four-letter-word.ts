import net from 'node:net';

/** Sends a ZooKeeper four-letter word and returns the answer (empty when nothing answers). */
export function fourLetterWord(port: number, word: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const socket = net.connect({ port, host }, () => socket.end(word));
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (d) => (out += d.toString()));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(''));
  });
}
