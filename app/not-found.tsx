import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto mt-24 max-w-md p-6 text-center">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-muted">There is nothing at this address.</p>
      <Link href="/" className="btn mt-6">
        Back to the overview
      </Link>
    </main>
  );
}
