"use client";

import { useEffect } from "react";

export default function ErrorBoundary({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div role="alert" className="card max-w-xl">
      <h2 className="text-lg font-semibold">This page could not be shown</h2>
      <p className="mt-2 text-sm text-muted">
        Something failed on the server. It has been logged{error.digest ? ` (reference ${error.digest})` : ""}.
      </p>
      <button type="button" className="btn mt-4" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
