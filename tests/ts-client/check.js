// Drives the official TypeScript client, unchanged, against a PolyStream simulator.
// Usage: node check.js market HOST TOKEN_ID CONDITION_ID
//        node check.js auth HOST PRIVATE_KEY
// Prints one JSON object with what each call returned; exits 1 on the first failure.
"use strict";
const { ClobClient, Side } = require("@polymarket/clob-client");
const { createWalletClient, http } = require("viem");
const { privateKeyToAccount } = require("viem/accounts");
const { polygon } = require("viem/chains");

const [mode, host, ...rest] = process.argv.slice(2);

// The client logs request errors and returns {error,status} instead of throwing: treat that as a failure.
function check(name, value) {
  if (value === undefined || value === null || (typeof value === "object" && "error" in value && "status" in value)) {
    throw new Error(`${name} failed: ${JSON.stringify(value)}`);
  }
  return value;
}

async function market(tokenId, conditionId) {
  const client = new ClobClient(host, 137);
  const result = {};
  result.ok = check("getOk", await client.getOk());
  result.serverTime = check("getServerTime", await client.getServerTime());
  result.book = check("getOrderBook", await client.getOrderBook(tokenId));
  result.books = check("getOrderBooks", await client.getOrderBooks([{ token_id: tokenId }]));
  result.price = check("getPrice", await client.getPrice(tokenId, Side.BUY));
  result.prices = check("getPrices", await client.getPrices([{ token_id: tokenId, side: Side.SELL }]));
  result.midpoint = check("getMidpoint", await client.getMidpoint(tokenId));
  result.midpoints = check("getMidpoints", await client.getMidpoints([{ token_id: tokenId }]));
  result.spread = check("getSpread", await client.getSpread(tokenId));
  result.spreads = check("getSpreads", await client.getSpreads([{ token_id: tokenId }]));
  result.lastTradePrice = check("getLastTradePrice", await client.getLastTradePrice(tokenId));
  result.lastTradesPrices = check("getLastTradesPrices", await client.getLastTradesPrices([{ token_id: tokenId }]));
  result.tickSize = check("getTickSize", await client.getTickSize(tokenId));
  result.negRisk = check("getNegRisk", await client.getNegRisk(tokenId));
  result.markets = check("getMarkets", await client.getMarkets());
  result.market = check("getMarket", await client.getMarket(conditionId));
  result.simplifiedMarkets = check("getSimplifiedMarkets", await client.getSimplifiedMarkets());
  result.samplingMarkets = check("getSamplingMarkets", await client.getSamplingMarkets());
  // The helper hashes the object in its key order and writes the hash back, so keep what was sent first.
  const sentHash = result.book.hash;
  result.hashMatches = (await client.getOrderBookHash({ ...result.book })) === sentHash;
  return result;
}

async function auth(privateKey) {
  const account = privateKeyToAccount(privateKey);
  const signer = createWalletClient({ account, chain: polygon, transport: http(host) });
  const creds = check("createOrDeriveApiKey", await new ClobClient(host, 137, signer).createOrDeriveApiKey());
  const derived = check("deriveApiKey", await new ClobClient(host, 137, signer).deriveApiKey());
  const authed = new ClobClient(host, 137, signer, creds);
  const keys = check("getApiKeys", await authed.getApiKeys());
  return { address: account.address, creds, derived, keys };
}

(async () => {
  const result = mode === "market" ? await market(rest[0], rest[1]) : await auth(rest[0]);
  process.stdout.write(JSON.stringify(result) + "\n");
})().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
