package com.gpudash.command.user;

import com.gpudash.api.user.Role;
import com.gpudash.command.web.Password;
import com.gpudash.command.web.Username;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The bodies of the user endpoints, as the contract names their fields; unknown fields are refused globally. */
final class UserRequests {

    /** Plausible: something, one @, and a domain with a dot; Hibernate's own check also takes "a@b". */
    static final String EMAIL_SHAPE = "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$";

    private UserRequests() {
    }

    record Register(@NotNull @Username String username,
                    @NotNull @Password String password,
                    @NotNull @Email(regexp = EMAIL_SHAPE) @Size(max = 254) String email,
                    @Size(max = 200) String fullName) {
    }

    record Create(@NotNull @Username String username,
                  @NotNull @Password String password,
                  @NotNull @Email(regexp = EMAIL_SHAPE) @Size(max = 254) String email,
                  @Size(max = 200) String fullName,
                  @NotNull Role role) {
    }

    /** The statuses an admin may set directly; the others come from approval, rejection and deletion. */
    enum SettableStatus { ACTIVE, DISABLED }

    record Update(@Email(regexp = EMAIL_SHAPE) @Size(max = 254) String email,
                  @Size(max = 200) String fullName,
                  Role role,
                  SettableStatus status) {
    }

    /** Where and with how many GPUs to provision; provisioning arrives with the container issue. */
    record Approve(@Pattern(regexp = "^[0-9a-fA-F-]{36}$", message = "must be a server id (UUID)") String serverId,
                   @Min(0) Integer gpuCount) {
    }

    record Reject(@Size(max = 500) String reason) {
    }

    record ResetPassword(@Password String newPassword) {
    }

    record ChangePassword(@NotNull @Size(max = 1024) String currentPassword,
                          @NotNull @Password String newPassword) {
    }
}
