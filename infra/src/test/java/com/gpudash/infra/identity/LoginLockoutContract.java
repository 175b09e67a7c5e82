package com.gpudash.infra.identity;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The login lockout holds for every spelling of a username that the database matches to the account: other case,
 * and trailing spaces, which MariaDB's PAD SPACE collations compare equal to the name. Run on H2 and on MariaDB,
 * since only the latter pads.
 */
abstract class LoginLockoutContract {

    @Autowired
    WebTestClient client;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(client);
    }

    @Test
    void aLockedAccountStaysLockedWhateverTheSpellingOfItsName() {
        String username = lockedUser();

        for (String spelling : spellingsOf(username)) {
            api.login(spelling, Api.PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        }
    }

    @Test
    void failuresUnderDifferentSpellingsCountTowardsOneAccount() {
        String username = Api.uniqueName("spelled");
        api.createUser(api.adminToken(), username, "REGULAR");
        List<String> spellings = spellingsOf(username);

        for (int attempt = 0; attempt < 5; attempt++) {
            api.login(spellings.get(attempt % spellings.size()), "wrong password " + attempt)
                    .expectStatus().isUnauthorized();
        }

        api.login(username, Api.PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
    }

    @Test
    void aNameWithTrailingSpacesIsNoAccountEvenWithTheRightPassword() {
        String username = Api.uniqueName("padded");
        api.createUser(api.adminToken(), username, "REGULAR");

        api.login(username + " ", Api.PASSWORD).expectStatus().isUnauthorized();
        api.login(username + "   ", Api.PASSWORD).expectStatus().isUnauthorized();
        api.login(username, Api.PASSWORD).expectStatus().isOk();
    }

    private String lockedUser() {
        String username = Api.uniqueName("locked");
        api.createUser(api.adminToken(), username, "REGULAR");
        for (int attempt = 0; attempt < 6; attempt++) {
            api.login(username, "wrong password " + attempt);
        }
        api.login(username, Api.PASSWORD).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        return username;
    }

    private static List<String> spellingsOf(String username) {
        return List.of(username + " ", username + "     ", username.toUpperCase(), " " + username + " ",
                username + "\t");
    }
}
