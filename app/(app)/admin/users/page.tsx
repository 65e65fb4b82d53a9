import { PageHeader } from "@/components/page-header";
import { CreateUserForm } from "@/components/users/create-user-form";
import { UserControls } from "@/components/users/user-controls";
import { roleLabels } from "@/lib/auth/roles";
import { getUsers } from "@/lib/data/users";

export const metadata = { title: "Users" };

export default async function UsersPage() {
  const users = await getUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Viewers read dashboards and reports; operators change provisioned concurrency, memory and runtime; admins manage users and sandbox controls. Every change here is audited. The same commands exist on the command line: npm run user -- help."
      />
      <CreateUserForm />
      <div className="mt-6 overflow-x-auto rounded-lg border border-border bg-surface">
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Role</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Status</th>
              <th scope="col">Manage</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.id}>
                <td>
                  <div className="font-medium">{user.displayName}</div>
                  <div className="text-xs text-muted">{user.username}</div>
                </td>
                <td>{roleLabels[user.role]}</td>
                <td>{user.source === "local" ? "Password" : "Single sign-on"}</td>
                <td>{user.disabled ? <span className="text-danger">Disabled</span> : "Active"}</td>
                <td>
                  <UserControls
                    username={user.username}
                    role={user.role}
                    disabled={user.disabled}
                    local={user.source === "local"}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
