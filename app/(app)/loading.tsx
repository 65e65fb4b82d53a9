export default function Loading() {
  return (
    <div aria-busy="true" aria-live="polite" className="animate-pulse space-y-4">
      <span className="sr-only">Loading…</span>
      <div className="h-7 w-64 rounded bg-surface-2" />
      <div className="h-4 w-96 rounded bg-surface-2" />
      <div className="h-64 rounded-lg bg-surface-2" />
    </div>
  );
}
