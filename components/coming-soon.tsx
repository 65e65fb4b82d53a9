import { PageHeader } from "./page-header";

/** A place in the navigation for a capability whose issue has not landed yet; says so plainly. */
export function ComingSoon({ title, description, issue }: { title: string; description: string; issue: number }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <div className="card max-w-2xl text-sm text-muted">
        Not built yet: this page arrives with issue #{issue}. Nothing here is simulated or hidden.
      </div>
    </>
  );
}
