// POST /api/actions/:name – run one registered Phoenix action with a JSON body (scripts, tests, integrations)
import { findAction } from "@/lib/actions/all";
import { runAction } from "@/lib/actions/define-action";

const maxBodyBytes = 1_000_000;

export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const action = findAction(name);
  if (!action)
    return Response.json({ ok: false, code: "NOT_FOUND", message: `No action named ${name}` }, { status: 404 });
  const text = await request.text();
  if (text.length > maxBodyBytes) {
    return Response.json({ ok: false, code: "INVALID_INPUT", message: "Request body is too large" }, { status: 413 });
  }
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    return Response.json({ ok: false, code: "INVALID_INPUT", message: "Request body must be JSON" }, { status: 400 });
  }
  const result = await runAction(action, body);
  return Response.json(result, { status: result.ok ? 200 : result.status });
}
