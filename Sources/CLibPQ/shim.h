// libpq, PostgreSQL's own client library (Debian: libpq-dev; pkg-config adds its include folder).
#include <libpq-fe.h>
