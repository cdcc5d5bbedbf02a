// The official TypeScript client's API-key flow against a running `polystream sim`:
// node auth.mjs URL PRIVATE_KEY prints {address, created, derived, keys} as one JSON line.
// Exits 1 on the first failure. Run by tests/PolyStream.IntegrationTests/OfficialClientTests.cs.
import { ClobClient } from "@polymarket/clob-client";
import { createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { polygon } from "viem/chains";

const host = process.argv[2].replace(/\/$/, "");
const account = privateKeyToAccount(process.argv[3]);
const signer = createWalletClient({ account, chain: polygon, transport: http(host) });

// The client logs HTTP errors and returns them as values; turn those into failures.
const required = (name, value) => {
  if (!value || (typeof value === "object" && "error" in value)) {
    throw new Error(`${name} failed: ${JSON.stringify(value)}`);
  }
  return value;
};

const created = required("createOrDeriveApiKey", await new ClobClient(host, 137, signer).createOrDeriveApiKey());
const derived = required("deriveApiKey", await new ClobClient(host, 137, signer).deriveApiKey());
const keys = required("getApiKeys", await new ClobClient(host, 137, signer, created).getApiKeys());
console.log(JSON.stringify({ address: account.address, created, derived, keys }));
