// The demo workflow: an order pipeline whose steps produce payloads above and below the threshold.
// Every step is deterministic, so two runs (say, filesystem and R2) produce identical outputs.

const regions = ['emea', 'amer', 'apac'];

// A small seeded generator, so "random" data is the same on every run.
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const json = (value) => encoder.encode(JSON.stringify(value));
const parse = (bytes) => JSON.parse(decoder.decode(bytes));

/** The steps, in order. */
export const orderWorkflow = [
  {
    name: 'fetch-orders',
    run() {
      const random = seededRandom(42);
      const orders = Array.from({ length: 8000 }, (_, id) => ({
        id,
        customer: `customer-${Math.floor(random() * 2000)}`,
        region: regions[id % regions.length],
        lines: Array.from({ length: 1 + (id % 4) }, (_, line) => ({ sku: `SKU-${(id * 7 + line) % 500}`, quantity: 1 + Math.floor(random() * 5), price: Math.round(random() * 10000) / 100 })),
      }));
      return json({ orders });
    },
  },
  {
    name: 'price-orders',
    run(input) {
      const { orders } = parse(input);
      const priced = orders.map((order) => ({ ...order, total: Math.round(order.lines.reduce((sum, line) => sum + line.quantity * line.price, 0) * 100) / 100 }));
      return json({ orders: priced });
    },
  },
  {
    name: 'summarize-by-region',
    run(input) {
      const { orders } = parse(input);
      const byRegion = Object.fromEntries(regions.map((region) => [region, { orders: 0, revenue: 0 }]));
      for (const order of orders) {
        byRegion[order.region].orders++;
        byRegion[order.region].revenue = Math.round((byRegion[order.region].revenue + order.total) * 100) / 100;
      }
      return json({ byRegion });
    },
  },
  {
    name: 'render-report-archive',
    run(input) {
      // Stands in for a PDF or a zip: a header plus incompressible bytes, stored uncompressed.
      const random = seededRandom(7);
      const body = new Uint8Array(300 * 1024).map(() => Math.floor(random() * 256));
      const header = encoder.encode(`REPORT\n${decoder.decode(input)}\n`);
      const archive = new Uint8Array(header.byteLength + body.byteLength);
      archive.set(header);
      archive.set(body, header.byteLength);
      return archive;
    },
  },
  {
    name: 'notify',
    run(input) {
      return json({ notified: 'ops@example.com', reportBytes: input.byteLength });
    },
  },
];
