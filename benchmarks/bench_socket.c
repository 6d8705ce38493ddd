/*
 * Loopback socket benchmark in C: the same five workloads as
 * bench_socket.py, the same JSON-lines output (name, value, unit, ...).
 *
 * Blocking sockets, server side on a pthread, everything on 127.0.0.1.
 * Built at run time by run.py:  gcc -O2 -pthread bench_socket.c -o ...
 *
 * Usage: bench_socket_c [--quick] [--duration S] [--only a,b,...] [--cpu-time]
 *                       [--impl LABEL] [--hard-limit S]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024L * 1024L)

static double g_duration = 1.0;
static long long g_bulk_min = 256LL * MIB;
static const long long g_bulk_cap = 64LL * 1024 * MIB;
static const long g_count_cap = 50L * 1000 * 1000;
static double g_hard_limit = 120.0;
static const char *g_impl = "c";

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* --cpu-time: measured stretches in CPU seconds of the whole process (all threads), as bench_socket.py's */
static int g_cpu_time = 0;

static double cnow(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define ELAPSED(t0, c0) (g_cpu_time ? cnow() - (c0) : now() - (t0))

static void die(const char *what) {
    fprintf(stderr, "bench_socket_c: %s: %s\n", what, strerror(errno));
    exit(2);
}

static void fail(const char *what) {
    fprintf(stderr, "bench_socket_c: %s\n", what);
    exit(2);
}

static void emit(const char *name, double value, const char *unit,
                 long long count, double seconds, const char *extra) {
    printf("{\"count\": %lld, \"impl\": \"%s\", \"module\": \"libc\", "
           "\"name\": \"%s\", \"seconds\": %.6f, \"unit\": \"%s\", "
           "\"value\": %.3f%s}\n",
           count, g_impl, name, seconds, unit, value, extra ? extra : "");
    fflush(stdout);
}

static void set_int(int fd, int level, int opt, int v) {
    if (setsockopt(fd, level, opt, &v, sizeof v) < 0) die("setsockopt");
}

static int tcp_listener(struct sockaddr_in *addr) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) die("socket");
    set_int(s, SOL_SOCKET, SO_REUSEADDR, 1);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr->sin_port = 0;
    if (bind(s, (struct sockaddr *)addr, sizeof *addr) < 0) die("bind");
    if (listen(s, 128) < 0) die("listen");
    socklen_t len = sizeof *addr;
    if (getsockname(s, (struct sockaddr *)addr, &len) < 0) die("getsockname");
    return s;
}

static int tcp_connect(const struct sockaddr_in *addr) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) die("socket");
    if (connect(s, (const struct sockaddr *)addr, sizeof *addr) < 0) die("connect");
    return s;
}

static void send_all(int fd, const void *buf, size_t len) {
    const char *p = buf;
    while (len > 0) {
        ssize_t k = send(fd, p, len, 0);
        if (k < 0) {
            if (errno == EINTR) continue;
            die("send");
        }
        p += k;
        len -= (size_t)k;
    }
}

static pthread_t start_thread(void *(*fn)(void *), void *arg) {
    pthread_t t;
    if (pthread_create(&t, NULL, fn, arg) != 0) fail("pthread_create");
    return t;
}

/* A TCP listener on 127.0.0.1 and the thread serving it: fn gets the struct. */
struct server {
    int lst;
    struct sockaddr_in addr;
    pthread_t thread;
    volatile int stop; /* churn: set before the last connection */
    long long sent;    /* bulk: the bytes the server sent */
};

static void start_server(struct server *sv, void *(*fn)(void *)) {
    sv->lst = tcp_listener(&sv->addr);
    sv->stop = 0;
    sv->sent = 0;
    sv->thread = start_thread(fn, sv);
}

static void stop_server(struct server *sv) {
    pthread_join(sv->thread, NULL);
    close(sv->lst);
}

/* step(arg, batch) does batch operations: run it for g_duration seconds (at most g_count_cap operations).
   Returns the operations done; *seconds is the measured time (wall or process CPU, ELAPSED). */
static long run_timed(void (*step)(void *, int), void *arg, int batch, double *seconds) {
    long n = 0;
    double t0 = now(), deadline = t0 + g_duration;
    double c0 = cnow();
    while (n < g_count_cap) {
        step(arg, batch);
        n += batch;
        if (now() >= deadline) break;
    }
    *seconds = ELAPSED(t0, c0);
    return n;
}

/* ------------------------------------------------------------------ */
/* (a) 1-byte ping-pong */

static void *pingpong_server(void *arg) {
    struct server *sv = arg;
    int c = accept(sv->lst, NULL, NULL);
    if (c < 0) die("accept");
    set_int(c, IPPROTO_TCP, TCP_NODELAY, 1);
    char b;
    for (;;) {
        ssize_t k = recv(c, &b, 1, 0);
        if (k == 0) break;
        if (k < 0) die("pingpong server recv");
        if (send(c, &b, 1, 0) != 1) die("pingpong server send");
    }
    close(c);
    return NULL;
}

static void round_trips(void *arg, int count) {
    int cl = *(int *)arg;
    char b = 'x';
    for (int i = 0; i < count; i++) {
        if (send(cl, &b, 1, 0) != 1) die("pingpong send");
        if (recv(cl, &b, 1, 0) != 1) die("pingpong recv");
    }
}

static void w_pingpong(void) {
    struct server sv;
    start_server(&sv, pingpong_server);
    int cl = tcp_connect(&sv.addr);
    set_int(cl, IPPROTO_TCP, TCP_NODELAY, 1);
    round_trips(&cl, 4 * 64);
    double el;
    long n = run_timed(round_trips, &cl, 64, &el);
    close(cl);
    stop_server(&sv);
    emit("pingpong", n / el, "round_trips/s", n, el, NULL);
}

/* ------------------------------------------------------------------ */
/* (b) bulk: 64 KiB send-all into recv into a preallocated buffer */

#define CHUNK (64 * 1024)

static void *bulk_server(void *arg) {
    struct server *sv = arg;
    int c = accept(sv->lst, NULL, NULL);
    if (c < 0) die("accept");
    char g;
    if (recv(c, &g, 1, 0) != 1 || g != 'g') fail("bulk: bad start byte");
    static char payload[CHUNK];
    memset(payload, 0x5a, sizeof payload);
    long long total = 0;
    double deadline = now() + g_duration;
    for (;;) {
        for (int i = 0; i < 16; i++) send_all(c, payload, CHUNK);
        total += 16LL * CHUNK;
        if (total >= g_bulk_cap) break;
        if (total >= g_bulk_min && now() >= deadline) break;
    }
    sv->sent = total;
    close(c);
    return NULL;
}

static void w_bulk(void) {
    struct server sv;
    start_server(&sv, bulk_server);
    int cl = tcp_connect(&sv.addr);
    static char buf[CHUNK];
    long long total = 0;
    send_all(cl, "g", 1);
    double t0 = now();
    double c0 = cnow();
    for (;;) {
        ssize_t k = recv(cl, buf, sizeof buf, 0);
        if (k == 0) break;
        if (k < 0) {
            if (errno == EINTR) continue;
            die("bulk recv");
        }
        total += k;
    }
    double el = ELAPSED(t0, c0);
    close(cl);
    stop_server(&sv);
    if (total != sv.sent) fail("bulk: byte count mismatch");
    emit("bulk", total / el / 1e6, "MB/s", total, el, NULL);
}

/* ------------------------------------------------------------------ */
/* (c) connection churn */

static void *churn_server(void *arg) {
    struct server *sv = arg;
    for (;;) {
        int c = accept(sv->lst, NULL, NULL);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            die("churn accept");
        }
        close(c); /* FIN first; the client answers with RST */
        if (__atomic_load_n(&sv->stop, __ATOMIC_ACQUIRE)) break;
    }
    return NULL;
}

static void connections(void *arg, int count) {
    const struct sockaddr_in *addr = arg;
    for (int i = 0; i < count; i++) {
        int s = tcp_connect(addr);
        char b;
        ssize_t k = recv(s, &b, 1, 0); /* wait for the server's close */
        if (k != 0) fail("churn: expected EOF");
        struct linger lg = {1, 0};
        if (setsockopt(s, SOL_SOCKET, SO_LINGER, &lg, sizeof lg) < 0) die("SO_LINGER");
        close(s); /* RST: no TIME_WAIT on either side */
    }
}

static void w_churn(void) {
    struct server sv;
    start_server(&sv, churn_server);
    connections(&sv.addr, 50);
    double el;
    long n = run_timed(connections, &sv.addr, 16, &el);
    __atomic_store_n(&sv.stop, 1, __ATOMIC_RELEASE);
    connections(&sv.addr, 1);
    stop_server(&sv);
    emit("churn", n / el, "conns/s", n, el, NULL);
}

/* ------------------------------------------------------------------ */
/* (d) UDP datagrams */

#define UDP_SIZE 32

struct udp_arg {
    int rx;
    long received;
    double seconds;
    volatile int done;
};

static void *udp_receiver(void *arg) {
    struct udp_arg *ua = arg;
    char buf[2048];
    long n = 0;
    ssize_t k = recv(ua->rx, buf, sizeof buf, 0);
    double t0 = now();
    double c0 = cnow();
    for (;;) {
        if (k < 0) {
            if (errno == EINTR) { k = recv(ua->rx, buf, sizeof buf, 0); continue; }
            die("udp recv");
        }
        if (k == 1) break; /* stop marker */
        n++;
        k = recv(ua->rx, buf, sizeof buf, 0);
    }
    ua->received = n;
    ua->seconds = ELAPSED(t0, c0);
    __atomic_store_n(&ua->done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void datagrams(void *arg, int count) {
    int tx = *(int *)arg;
    char payload[UDP_SIZE];
    memset(payload, 0x5a, sizeof payload);
    for (int i = 0; i < count; i++)
        if (send(tx, payload, sizeof payload, 0) < 0 && errno != ENOBUFS) die("udp send");
}

static void w_udp(void) {
    struct udp_arg ua;
    memset(&ua, 0, sizeof ua);
    ua.rx = socket(AF_INET, SOCK_DGRAM, 0);
    if (ua.rx < 0) die("socket");
    int rcvbuf = 4 * MIB;
    setsockopt(ua.rx, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf); /* best effort */
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ua.rx, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    socklen_t len = sizeof addr;
    if (getsockname(ua.rx, (struct sockaddr *)&addr, &len) < 0) die("getsockname");
    pthread_t t = start_thread(udp_receiver, &ua);

    int tx = socket(AF_INET, SOCK_DGRAM, 0);
    if (tx < 0) die("socket");
    if (connect(tx, (struct sockaddr *)&addr, sizeof addr) < 0) die("connect");
    double sender_el;
    long n = run_timed(datagrams, &tx, 64, &sender_el);
    /* The stop marker can be dropped while the receive buffer is full:
       resend it 1 ms apart (bounded) until the receiver is done. */
    for (int i = 0; i < 5000 && !__atomic_load_n(&ua.done, __ATOMIC_ACQUIRE); i++) {
        send(tx, "S", 1, 0);
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    if (!__atomic_load_n(&ua.done, __ATOMIC_ACQUIRE)) fail("udp: receiver never saw the stop marker");
    pthread_join(t, NULL);
    close(tx);
    close(ua.rx);
    char extra[160];
    snprintf(extra, sizeof extra, ", \"sender_seconds\": %.6f, \"sent\": %ld, \"size\": %d",
             sender_el, n, UDP_SIZE);
    emit("udp", ua.received / ua.seconds, "datagrams/s", ua.received, ua.seconds, extra);
}

/* ------------------------------------------------------------------ */
/* (e) numeric getaddrinfo */

static void gai_calls(void *arg, int count) {
    const struct addrinfo *hints = arg;
    for (int i = 0; i < count; i++) {
        struct addrinfo *res = NULL;
        int rc = getaddrinfo("127.0.0.1", "80", hints, &res);
        if (rc != 0 || res == NULL) {
            fprintf(stderr, "bench_socket_c: getaddrinfo: %s\n", gai_strerror(rc));
            exit(2);
        }
        freeaddrinfo(res);
    }
}

static void w_getaddrinfo(void) {
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_protocol = 0;
    hints.ai_flags = AI_NUMERICHOST;
    gai_calls(&hints, 1000);
    double el;
    long n = run_timed(gai_calls, &hints, 256, &el);
    emit("getaddrinfo", n / el, "calls/s", n, el, NULL);
}

/* ------------------------------------------------------------------ */

static void *watchdog(void *arg) {
    (void)arg;
    double end = now() + g_hard_limit;
    while (now() < end) {
        struct timespec ts = {0, 100000000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "bench_socket_c: watchdog: still running after %.0f s, exiting\n",
            g_hard_limit);
    _exit(3);
    return NULL;
}

struct workload {
    const char *name;
    void (*fn)(void);
};

static const struct workload WORKLOADS[] = {
    {"pingpong", w_pingpong},
    {"bulk", w_bulk},
    {"churn", w_churn},
    {"udp", w_udp},
    {"getaddrinfo", w_getaddrinfo},
};
#define NWORK (sizeof WORKLOADS / sizeof WORKLOADS[0])

int main(int argc, char **argv) {
    const char *only = NULL;
    int quick = 0, have_duration = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--quick")) quick = 1;
        else if (!strcmp(argv[i], "--duration") && i + 1 < argc) {
            g_duration = atof(argv[++i]);
            have_duration = 1;
        } else if (!strcmp(argv[i], "--only") && i + 1 < argc) only = argv[++i];
        else if (!strcmp(argv[i], "--impl") && i + 1 < argc) g_impl = argv[++i];
        else if (!strcmp(argv[i], "--cpu-time")) g_cpu_time = 1;
        else if (!strcmp(argv[i], "--hard-limit") && i + 1 < argc) g_hard_limit = atof(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--quick] [--duration S] [--only a,b] [--impl L] "
                            "[--hard-limit S]\n", argv[0]);
            return 2;
        }
    }
    if (quick) {
        if (!have_duration) g_duration = 0.15;
        g_bulk_min = 16LL * MIB;
    }
    pthread_t dog = start_thread(watchdog, NULL);
    pthread_detach(dog);

    /* validate --only before running anything */
    int selected[NWORK] = {0};
    if (only && *only) {
        char *copy = strdup(only), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            size_t w;
            for (w = 0; w < NWORK; w++)
                if (!strcmp(tok, WORKLOADS[w].name)) break;
            if (w == NWORK) {
                fprintf(stderr, "bench_socket_c: unknown workload '%s'\n", tok);
                return 2;
            }
            selected[w] = 1;
        }
        free(copy);
    } else {
        for (size_t w = 0; w < NWORK; w++) selected[w] = 1;
    }
    for (size_t w = 0; w < NWORK; w++)
        if (selected[w]) WORKLOADS[w].fn();
    return 0;
}
