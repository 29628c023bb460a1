show info
add light-port 864 stamp stateful
add light-port 865 light stateless
add allow 862 198.18.9.0/24
add allow 865 198.18.0.0/24
del light-port 863
show info
show sessions
show nat
show flows
show stats
set nat-policy latch
set nat-policy strict 198.18.5.0/24
show session 1
stop session 1
bogus
del light-port 999
