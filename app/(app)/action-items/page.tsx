import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Action items" };

export default function ActionItemsPage() {
  return (
    <ComingSoon
      title="Action items"
      issue={6}
      description="The six fixes agreed in the review meeting, with owners, status and checks that verify themselves against AWS."
    />
  );
}
