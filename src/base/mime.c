/* csppack: GMime set up once per process (base/mime.h). */
#include <pthread.h>
#include <stdbool.h>

#include <gmime/gmime.h>

#include "csppack/base/mime.h"

static pthread_once_t mime_once = PTHREAD_ONCE_INIT;
static bool mime_started;

/* Under pthread_once. */
static void mime_start(void)
{
    g_mime_init();
    mime_started = true;
}

void csp_mime_init(void)
{
    pthread_once(&mime_once, mime_start);
}

void csp_mime_shutdown(void)
{
    if (mime_started)
        g_mime_shutdown();
    mime_started = false;
}
