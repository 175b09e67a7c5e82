package com.gpudash.agent.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.gpudash.agent.Route;
import org.junit.jupiter.api.Test;

class LocationBlocksTest {

    @Test
    void rendersOneProxyLocationPerUserSortedByName() {
        String config = LocationBlocks.render(List.of(new Route("bob", "gpu2.lab", 32771), new Route("alice", "::1", 32770)));

        assertThat(config).isEqualTo("""
                # Written by gpudash from its route table; changes made here are overwritten.

                location /alice/ {
                    proxy_pass http://[::1]:32770/;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_set_header X-Forwarded-Prefix /alice;
                    proxy_connect_timeout 10s;
                    proxy_send_timeout 3600s;
                    proxy_read_timeout 3600s;
                }

                location /bob/ {
                    proxy_pass http://gpu2.lab:32771/;
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header Host $http_host;
                    proxy_set_header X-Real-IP $remote_addr;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_set_header X-Forwarded-Prefix /bob;
                    proxy_connect_timeout 10s;
                    proxy_send_timeout 3600s;
                    proxy_read_timeout 3600s;
                }
                """);
    }

    @Test
    void theSameRoutesInAnyOrderRenderTheSameBytes() {
        Route alice = new Route("alice", "10.0.0.1", 1);
        Route bob = new Route("bob", "10.0.0.2", 2);
        assertThat(LocationBlocks.render(List.of(alice, bob))).isEqualTo(LocationBlocks.render(List.of(bob, alice)));
        assertThat(LocationBlocks.render(List.of())).doesNotContain("location");
    }
}
