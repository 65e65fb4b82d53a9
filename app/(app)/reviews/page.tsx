import { ComingSoon } from "@/components/coming-soon";

export const metadata = { title: "Reviews" };

export default function ReviewsPage() {
  return (
    <ComingSoon
      title="Reviews"
      issue={6}
      description="Follow-up review reports: baseline against current window, per function and in total."
    />
  );
}
