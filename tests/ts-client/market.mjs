// Points the official TypeScript CLOB client, unchanged, at a running `polystream sim` (URL as the
// first argument) and checks that it reads every market-data answer, including the book hash it
// recomputes from the body exactly as received. Exits 1 on the first failed check.
// Run by tests/PolyStream.IntegrationTests/OfficialClientTests.cs.
import { ClobClient, Side } from "@polymarket/clob-client";
import assert from "node:assert/strict";

const host = (process.argv[2] ?? "http://127.0.0.1:8081/").replace(/\/$/, "");
const client = new ClobClient(host, 137);
let checks = 0;
const check = (condition, message) => { assert.ok(condition, message); checks++; };

const time = await client.getServerTime();
check(Number.isInteger(time) && time > 1_600_000_000, `/time is Unix seconds: ${time}`);

let cursor = "MA==";
const markets = [];
for (let page = 0; page < 100 && cursor !== "LTE="; page++) {
  const result = await client.getMarkets(cursor);
  markets.push(...result.data);
  cursor = result.next_cursor;
}
check(cursor === "LTE=" && markets.length > 0, `markets paged to LTE= (${markets.length})`);

const open = markets.filter((m) => m.active);
const token = open[0].tokens[0].token_id;
const sibling = open[0].tokens[1].token_id;

const book = await client.getOrderBook(token);
const sent = book.hash;
check(/^[0-9a-f]{40}$/.test(sent), "book hash is 40 hex");
check(await client.getOrderBookHash({ ...book }) === sent, "client recomputes the server's book hash from the REST body");
check(book.bids.length === 0 || Number(book.bids.at(-1).price) >= Number(book.bids[0].price), "bids ascending, best last");

const books = await client.getOrderBooks([{ token_id: token }, { token_id: sibling }]);
check(books.length === 2 && books[1].asset_id === sibling, "POST /books returns both tokens");
for (const b of books) {
  const expected = b.hash;
  check(await client.getOrderBookHash({ ...b }) === expected, `hash of /books entry ${b.asset_id.slice(0, 8)}…`);
}

const mid = await client.getMidpoint(token);
check(typeof mid.mid === "string", `midpoint ${JSON.stringify(mid)}`);
const buy = await client.getPrice(token, Side.BUY);
check(buy.price === book.bids.at(-1).price, `BUY price is the best bid ${JSON.stringify(buy)}`);
const spread = await client.getSpread(token);
check(typeof spread.spread === "string", `spread ${JSON.stringify(spread)}`);
const tick = await client.getTickSize(token);
check(tick === book.tick_size, `tick size ${tick}`);
const negRisk = await client.getNegRisk(token);
check(negRisk === book.neg_risk, `neg risk ${negRisk} as in the book`);
const last = await client.getLastTradePrice(token);
check(typeof last.price === "string", `last trade ${JSON.stringify(last)}`);
const market = await client.getMarket(open[0].condition_id);
check(market.condition_id === open[0].condition_id, "GET /markets/{condition_id}");
check(market.neg_risk === book.neg_risk && market.minimum_order_size === Number(book.min_order_size), "market and book agree on neg risk and minimum size");

// Markets differ as on the venue (minimum size, neg risk, tick): the client recomputes every book's hash from
// the body as received, whatever values the market has.
const all = await client.getOrderBooks(open.slice(0, 200).map((m) => ({ token_id: m.tokens[1].token_id })));
const kinds = new Set();
for (const b of all) {
  check(await client.getOrderBookHash({ ...b }) === b.hash, `hash of ${b.asset_id.slice(0, 8)}… (min ${b.min_order_size}, neg risk ${b.neg_risk}, tick ${b.tick_size})`);
  kinds.add(`${b.min_order_size}/${b.neg_risk}/${b.tick_size}`);
}
console.log(`books of ${kinds.size} kinds (min/neg risk/tick): ${[...kinds].sort().join(" ")}`);

console.log(`ok: ${checks} checks against ${host}`);
