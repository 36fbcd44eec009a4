import ArgumentParser

/// `meridian user …`: the people who use Meridian and their roles.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Add, list, disable and enable users and change their roles (an admin's token is needed, except to add the first admin).",
        discussion: """
            Roles: official (needs --country), program-manager, fund-approver, finance-officer, \
            supervisor, admin. A user's handle is what instance histories record as the actor.

            Examples:
              meridian user add ada --name "Ada Admin" --role admin
              meridian user add amani --name "Amani Kabila" --role official --country COD
              meridian user roles amani --role official --role supervisor --country COD
              meridian user list --json
              meridian user invite --user amani --expires-in 72h
            """,
        subcommands: [UserAdd.self, UserList.self, UserDisable.self, UserEnable.self, UserRoles.self, UserInvite.self]
    )
}
