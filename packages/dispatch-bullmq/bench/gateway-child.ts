// The bench's SMS gateway, in a process of its own so that it does not share the dispatcher's
// event loop. Prints its send and batch URLs; on "count" from stdin, how many it delivered since the last count,
// how many repeats it dropped, and the CPU time it used (µs).
// node --conditions=@kequn/source --import tsx bench/gateway-child.ts
import { startLoopbackSmsGateway } from '@kequn/plugin-channel-sms/testing';

const gateway = await startLoopbackSmsGateway();
process.stdout.write(`url ${gateway.url}\nbatch ${gateway.batchUrl}\n`);
let counted = { delivered: 0, duplicates: 0, cpu: process.cpuUsage() };
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  for (const line of chunk.split('\n')) {
    if (line !== 'count') continue;
    const cpu = process.cpuUsage(counted.cpu);
    process.stdout.write(`count ${gateway.delivered.length - counted.delivered} ${gateway.duplicates - counted.duplicates} ${cpu.user + cpu.system}\n`);
    counted = { delivered: gateway.delivered.length, duplicates: gateway.duplicates, cpu: process.cpuUsage() };
  }
});
process.stdin.on('end', () => void gateway.close().then(() => process.exit(0)));
