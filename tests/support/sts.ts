/**
 * Calls to the emulator's credential services as the providers' STS and
 * metadata clients make them, signed with the provider's own STS signers:
 * Tencent AssumeRole / AssumeRoleWithWebIdentity, Alibaba AssumeRole /
 * AssumeRoleWithOIDC, the CVM and ECS metadata endpoints, and OIDC tokens.
 */
import { randomUUID } from "crypto";
import { signTc3Call } from "../../provider/credentials/cos/sts-signer";
import { rpcCanonicalQuery, signRpcCall } from "../../provider/credentials/oss/sts-signer";
import type { RunningEmulator } from "../../provider/emulator/server";
import { send, type Reply } from "./http";

/** A key pair. */
export interface Key {
  id: string;
  secret: string;
  token?: string;
}

/** A Tencent API 3.0 call to the emulator: `key` signs it, or none (`Authorization: SKIP`). */
export function tencentSts(
  emu: RunningEmulator,
  action: string,
  params: Record<string, unknown>,
  key: Key | undefined,
  o: { timestamp?: number; version?: string; tamper?: (h: Record<string, string>) => void } = {},
): Promise<Reply> {
  const payload = JSON.stringify(params);
  const headers = signTc3Call(
    {
      host: "sts.tencentcloudapi.com",
      service: "sts",
      action,
      version: o.version ?? "2018-08-13",
      region: "ap-guangzhou",
      payload,
      timestamp: o.timestamp ?? Math.floor(Date.now() / 1000),
    },
    key && { secretId: key.id, secretKey: key.secret, token: key.token },
  );
  o.tamper?.(headers);
  return send(emu.url, { method: "POST", path: "/", headers, body: payload });
}

/** The `Response` of a Tencent answer. */
export function tencentResponse(reply: Reply): Record<string, unknown> {
  return (JSON.parse(reply.body) as { Response: Record<string, unknown> }).Response;
}

/** An Alibaba RPC call to the emulator, in a form body (or the query): `key` signs it, or none. */
export function alibabaSts(
  emu: RunningEmulator,
  action: string,
  params: Record<string, string>,
  key: Key | undefined,
  o: { inQuery?: boolean; date?: Date; nonce?: string; tamper?: (p: Record<string, string>) => void } = {},
): Promise<Reply> {
  const method = o.inQuery ? "GET" : "POST";
  const all = signRpcCall(
    {
      action,
      version: "2015-04-01",
      params,
      method,
      date: o.date ?? new Date(),
      nonce: o.nonce ?? randomUUID(),
    },
    key && { accessKeyId: key.id, accessKeySecret: key.secret, securityToken: key.token },
  );
  o.tamper?.(all);
  // rpcCanonicalQuery leaves Signature out; it is added back, encoded the same way.
  const encoded = `${rpcCanonicalQuery(all)}${all.Signature ? `&Signature=${encodeURIComponent(all.Signature)}` : ""}`;
  return o.inQuery
    ? send(emu.url, { method, path: `/?${encoded}`, headers: { Host: "sts.aliyuncs.com" } })
    : send(emu.url, {
        method,
        path: "/",
        headers: { Host: "sts.aliyuncs.com", "Content-Type": "application/x-www-form-urlencoded" },
        body: encoded,
      });
}

/** An unsigned JWT with `claims` (the emulator reads, never verifies, OIDC tokens). */
export function jwt(claims: Record<string, unknown>): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${part({ alg: "RS256", typ: "JWT" })}.${part(claims)}.${Buffer.from("not-checked").toString("base64url")}`;
}

/** A JWT valid for an hour from now. */
export const oidcToken = (): string =>
  jwt({
    iss: "https://oidc.example.test",
    sub: "system:serviceaccount:ci:deployer",
    aud: "sts.example",
    exp: Math.floor(Date.now() / 1000) + 3600,
  });
