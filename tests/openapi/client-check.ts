// Type-checked by check-openapi.sh (tsc --noEmit --strict) against the types openapi-typescript generates from
// GET /openapi.json: a /v1/search call and POST /api-keys, as a client written against the document would make them.
// The @ts-expect-error lines must stay errors: were a body typed as any object, tsc would report them unused.
import type { paths } from "./tollgate";

type SearchBody = paths["/v1/search"]["post"]["requestBody"]["content"]["application/json"];
type SearchAnswer = paths["/v1/search"]["post"]["responses"][200]["content"]["application/json"];
type SearchRateLimited = paths["/v1/search"]["post"]["responses"][429]["content"]["application/json"];
type CreateKeyBody = paths["/api-keys"]["post"]["requestBody"]["content"]["application/json"];
type CreatedKeyAnswer = paths["/api-keys"]["post"]["responses"][201]["content"]["application/json"];

async function call<Answer>(method: string, path: string, headers: Record<string, string>, body: unknown): Promise<Answer> {
    const response = await fetch(`http://127.0.0.1:3030${path}`, {
        method,
        headers: { "Content-Type": "application/json", ...headers },
        body: JSON.stringify(body),
    });
    return (await response.json()) as Answer;
}

export async function search(apiKey: string, query: string): Promise<string[]> {
    const body: SearchBody = { query, language: "en" }; // the upstream may take more than query
    const answer = await call<SearchAnswer>("POST", "/v1/search", { "X-API-Key": apiKey }, body);
    const urls: string[] = (answer.results ?? []).map((result) => result.url);
    return urls;
}

export function rateLimitCode(answer: SearchRateLimited): "RATE_LIMITED" | undefined {
    return answer.error.code === "RATE_LIMITED" ? answer.error.code : undefined;
}

export async function createKey(jwt: string): Promise<{ raw: string; masked: string; remaining: number }> {
    const body: CreateKeyBody = { name: "crawler", tier: "pro", allowedEndpoints: ["search"], expiresAt: null };
    const answer = await call<CreatedKeyAnswer>("POST", "/api-keys", { Authorization: `Bearer ${jwt}` }, body);
    const raw: string = answer.data.key;
    const status: "active" | "revoked" | "expired" = answer.data.apiKey.status;
    return { raw, masked: `${answer.data.apiKey.maskedKey} (${status})`, remaining: answer.data.apiKey.creditsRemaining };
}

// Wrong bodies the generated types must refuse.
// @ts-expect-error the search service takes `query`, a string
export const numericQuery: SearchBody = { query: 42 };
// @ts-expect-error `query` is required
export const noQuery: SearchBody = { q: "tollgate" };
// @ts-expect-error `name` is required to create a key
export const unnamedKey: CreateKeyBody = { tier: "pro" };
// @ts-expect-error the raw key is a string, not a number
export const rawKeyIsNumber: number = ({} as CreatedKeyAnswer).data.key;
