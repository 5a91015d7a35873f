"""TensorFlow 2.21's own message types for a SavedModel and everything inside it (GraphDef,
SaverDef, CollectionDef, SavedObjectGraph, ...), in a private descriptor pool.

sigdef's protos keep those parts as opaque bytes; the text format names their fields, so
reading and writing `saved_model.pbtxt` without loss needs the full types. They load only
for text-format models (never on `import sigdef`), and live in their own pool so that they
never clash with TensorFlow's classes in the same process. The blob is TF's
FileDescriptorSet (zlib, base64), written by tests/tf_descriptor_set.py.
"""

from __future__ import annotations

import base64
import functools
import zlib
from typing import Any

__all__ = ["pool", "saved_model_class"]

_BLOB = (
    "eNrNPEtwG9lxix8BNEByNKRIClrtSlj9VtqlVtRnJdtJDJAgxV0K4PKjXW1SQYbAkIQFYuAZQLtcO44d"
    "J7Yrlcoht1RSrvzLlUrOySU55eAkdmzn5yr74EsOdj6H1FY5rsol3f3emw8wAKjfJlWqEqdfd783/br7"
    "dffrAfxrBE7sWdZe07zStq2OtdPdvWK0Duf5QZ8UQ/NqKH8TYoXWoX4CUp3Dtlnt2s25yOnIxfRGkp63"
    "7aY+DYmHRrNrzkURnt0QD8WHMFWzDuZ72BVTyGydHtYj774iB/esptHam7fsPW9FxNy58qBlvdei1bV3"
    "fj8aW1kv/kn0hRVBtC4x5982m803CW+LSHbGmMU1+HoUXumYLceyd5vWe1dqlm1e2bWNA/M9y35wRYxU"
    "nX2jLReng4ed/wC0LX7aJASeSn8VYvXGAb5k7GJm4fS8hz3fizq/1DhAqWS7LV5/1TZaD+ZiKJxU7gzE"
    "aDALcafxgcmSjNFTCxfG8ksXvxyBORSFfwJ33cVjvXM5KMfNvUZnv7szj/K+4nvl8D/3rGGyqO5ZVRbH"
    "TyIRV5TfysC5IaIksYfI8DZMbpp2w2jii9aXaHP085CqGx2DKPjVJxam/a+5hGOEd+l7aUipB30CYGmr"
    "ulq+V1hbXdKeQ2ml8Hl5rVLY0iL6OKTxaamyXVwraVE5uFreuragxeTTNj7e0uLe2NWbWkLPQFI83dLG"
    "JJfNrY3V8oqW1DXI4uNi5e76Wumdm9e1lEeLT2lJW6xU1jSQQ28xp4zk9JaYM6sexYLG9UnIECEvHlcx"
    "4RvHx0n5rkyNz5oclo/H9GMw7q3r6sItTZdLuVNYW9amJPuN0mZle2OxpE1LfvcKG6uF8pZ23McPlzPj"
    "e8TXmtV1mFCSvVUt3bi7oM2hGms+2PW715bL2gl9BvRe6Pa7Wg69xPEgvHj1Kg+d7CFB5gx/3tuH69op"
    "34Zd117whha0F31DC9pp/7KuV0sLd3EW7YzcN4aiFJY1U0pMqAeDdiUSi4AhexLCW8aQfQ/n6k2GNKRo"
    "XZRPSc5CZRj0QC7KVRuGNj1eEnKgtADVhwEtifKWy92S3N/y1tRWIG/hn9anYNKnTgy0fXgS5MiNlWrF"
    "sI5E84G6+nE4FlAvBj+UyyUVY8B7clqlZgx8X84hVY1hh7455JI/8IGkOD7TrxkM/6w+B9O9SsYjv6jn"
    "YKZf/Xjsc/opOBGqgjz8S/rJAKlUQx77fAT3QW6yWNoXIrhcpRoC9Ms+JLHOL/qRBOhXImgI0736yUO/"
    "Gil+MMS9Z/gMcx372hM6dmIW6tG/EYcrgz26bTpW166Z1X2jVW+GnI+5RzpZc0c7PPJ/FIWpDTn1HZ5Z"
    "HLwTMFY3HzZq4sxIo7jTNavVMRot0xZnpnuCxhTCvuHsV2tW3ZyLIyiuz8LkgXG4Y1Y5iGHcBOPegWN1"
    "ISecUazamRvjM/5V/x6FLGx+iQgLrTqfxjkDNdsP0F+CRH3UUadfhgRPyi+SWXh+WFzxRjyV1FLDA4SJ"
    "noVG3r33ZErUowzh6pSE86M0IkSLHlUFn43a/W4cMkLSQt2OtG0LkPXPeJTdQz838dC0nYbVqra6Bzuo"
    "vKSuCYJLXqTWZqvDOpvF4yS1bzR3qxhPz42jRiaKUQx4jkMa2RsdBicQHGXwDEDd6u7gBhGcFDjC8ClI"
    "NloCOeny0AGcjt1o7TE8hfAsetusgyrSbprvMzTtssYZkQW6awIDgmMMxuXtWFaToRmEphiKbOp+Nll3"
    "JZ+AqV5dIoQJtrUXR9ia/jpkHhoYTcp3mWSqvJ/qnhgWYqeNUlKHLi4fDyCi05BuXAms673WMYTHlWxY"
    "vrcYrtNO5PdgZgB3dDWeRxHuSYPUgdkxKNAVGZF+EZJinQ7uOK17tl9PmF3xs0MsO+tDpMPh7lOJ+sPM"
    "+QspuDTYdoxOx65yjhdi0kd0A8/Gkv84DukCru4eLQ6jx4gjNuDOc/TQYHOLiYddtrGoeNjhsyCFD2ch"
    "zqY/Ntj0EetV5bOTo60e0V+GMYGAlhYZsvuIegXizYbTYU3qMQr3xebXEIP/QoKLEN/ttmpolkQw5yco"
    "o4iIiNAR8zhk2k2jZu5bzTq6njTp6p3ncj+KQNplqKeFzMgfjAuJKWsfFzJTPmFcSE1Z/XlXbrFBcmO8"
    "y57kYiP95QWf3IZZDc3OQkgz2kAhFJOyUJH/zQhk/SNu/CAs+DWIk5LLVD8/iB9vSanVsQ9zRaF4/IAa"
    "FXtgHkpeZ/3FkczC8dAt/Vj0VqT4xWHH+qSL69r/W09m/54Zh/qA30vCy4OtbrfbbHIoFZL3/xJklnGY"
    "9nzJ3MVd5EJRtVGXB+qM/w0V5mpdP4dSt/ccKfXZMCzix2YdE9orzDouzLo4Jrbt0vfiAD6+mORuLWN4"
    "Xt4sbWlEkqRHTFRQH+VDoXxfi1KeQw/rG5Wl7cUtLaYoy4W7pSUtTlkaPS5XNqqlwuIdTK8lZLGwtlag"
    "+kMdeQBBtkrlzcqG9sMkBq/Mo7CxUbiv/ShJuQI9V9a3Vivlwpr2b1Rt4HnXVrdKGwj5dxdSKi9WlnDq"
    "/0ii9WoE2bxTWC8p7v+ZxBWmCMyViK9H1GSi+PA3EbUaWT/42wDg2oL2dwHAzevaNyKKI3P4pstRMPh7"
    "/zPSf8v/jOTfdsm5HvEdd1gUa/7BnU6Wa/4xosThVkS+SwfwOAvVrb78E0UxEz4YVT7+2WUmqzb/ElFi"
    "WypsFWivf1xWKBuFlRWU43+X1Xws6i2U4U/Kivfd7a3SO9W1yuKb2vcqmC/ovCellcLifbeA8v1K8QtD"
    "g2+ldq6Rrj+Zkbp2Fmqjv52Ai4NttIXZT7Vu7oac0o9wuueO7gXyX4pBsoyzkpkGPSpA1GrLXG0cEo1W"
    "u9vhwyXty+7iPHxZOt8Eu4FTAecreHt+V38DZs3326bdOMCw2Wji6+5096qN1q7FR3hm4eUw+pKPZIko"
    "VpEAQ/pjAV58oCX7T2yfM3oafj/3FhwPX9BJmLLsxl6jhYvhzSSBOsifxOYfpMNPDpLzTBc/M0RH0yQF"
    "VYGvPJl6KhUL1c6/gmFJodX+SHXz0XPNI8acH45BotLu1/jLlDShllfxTJNHWiAwYZr5gr1HpK8AWN2O"
    "wo6NwMZ8kRJFG3MvQTU3zSpxQVpOnOlPhNDjKDGYh0zdbNtmzehgMiqj0j58FwG9aNLpHhwY9qEsmkwR"
    "A6dmN9rMYIyBuKyGgynswUG3g3QPTU6eUnQRgnBjb88294yOiSkYQZEFQh3ENHGrMP8iYB5yRhPnd6rd"
    "VqPV6MjLg6rwF1OMcxaeR8J6gxLYnW4HR3nKVkO+zXG+Z/mdKIxJcQX3pWfpwiXlZfgaG5Lxq0xPiljy"
    "Eol8VXosKQbGozhewIV4ipCRWS9nhsnHKDGRr8R3t81dKcTXYSbgslylZ3kO8Vt/GYGk0oagfLJSFEIw"
    "r8A4WqnRbXaE3bGEBnmzXtm6Qto3nOoB7udB90BkWqRRCjDGV2CvwgTvPG4nT+RIzxs+U/4GjPepqKyt"
    "8HskaFoUTdNoGd4+5zGjqLQ54D/FB1KEN+FYn6UMdaAZRnlaabjwg6EO9M8zw453cvr0ak/oQo8cQOSO"
    "6MzzX4uAviwXh4Jaa+zY6DkwC06pJUu592inS0Goe7ZRb1ApLCQbWJFjhPoJmEa3gjtq2qg6ikrVWV4I"
    "mpfCUwzyfz1GuYo38VlIO409VJmubcocvF85KEn3RShnBryFL0q5CSn068IZCLs/O5DI3vPo1mHGPZuI"
    "ATq5T3c5kxIJ8WuDuChPgty2mWa1Ljieg5TaVSmiqZAAia66bbMjD5LTg2fpCK6fgIw6kIhMVM8vDCJb"
    "FKiK+qnEUF+JQEqKztFvyf0RWnZphKidp5vG59YhG9hEH5txVJ0Am9Oj1sYcPwZzAzc0wH3cz32caS9B"
    "yt2mwAsFcNOMexUme/ZmFMkb8VRUi+U/Dhm/TR6HcWXp/roogpV9csQqffIK6P2W2Y8seORA95k7uh3v"
    "rCp+fkRmJlbk+u3Kk2Zm8g3DPPeHSXhtsLfEF2vv+1KVkBrKH4zBxAqhedkASn+30XTj/09Cljk61Z1D"
    "8gjxfmUPMphfZvTioVId5NCxjZrLYWwkhy1G9zjchDHBQXrp8yNpBd0KaKQX1Y5VZXqaPdEfD/VwoNLb"
    "lsV85AJy76D7RpmsNVrmotXk0j0+olDr5vsyDshSRbUldISaPmI1qynvXbKybBhXgQ/fF3IUl9sB2OwY"
    "tQc8nf7TMMGMiROGm01H+pZhL+xf2DSefSR9elES1RgVQ3P3YbJ3T3z2NqbfCDqLI07GpvwOTPZuVoD1"
    "9SDrc0NYe2JgzluQ8W9lwEE8PtfroPdv7xDvM8YV018fZvHTwRldu99+HLt329J2+ZbONoXNBy7X4Tei"
    "w+I1GZ6GdUq9CXBPjJL71CCFKPVuzbSlDmMGhdEy3Q5iGibvvBPkIneMugsVMU9ihBuU8zhPyw2qtwoP"
    "YOPD+sbYDYZEr0eOeXOP7GMfIdo98k7mv4mxh9S1Xf0MJlPkRSKDg6uLkFIc2PVkghVxnyZMeUkNe6xi"
    "dC6CIUSyKUJqaWYvDAgiVOA9D+AriyWYJjfYNIf3pzDu0+pPEZsUWjtKDjUluovdCWtMyX89Cpl7cljG"
    "IgrbH4tgHCHrC/IKhMdEoj4Hmld7sKteZyYxc1pG29m3OlVfu8ltmHKMh2bVaTboLEMZcnwd778c3ES0"
    "TcIiQYsdznBCL6I7mRxTpcE2Gi1aNKfBKYywJ53DVm3ftlqND7yqzcTCS3034Ei0GURFv5xR5ReiTDPl"
    "i2GUBQ8t/wug9a0Xl8Y1Bp8o6dAlkOqDiGE2jzCUetXa3XVMUeeNESnBBBpFK7FLfxqB2UFrPgOnuOpO"
    "fXub98uLdzYq5dV3C3RrUi1sb1W054ailCvlkhbBfOfMQBT89/bG6hZ1jZ6F08PQNkqFJS126asRmAoR"
    "FHWcudSFlZWN0opvDc/pz8Nc6PDm9l1c4SDiu6VCGVd2GS6EDlfKa/ery6sbm9Rqt762uljQYqNcv1z6"
    "U3P9yq7CDPgHx/pdv3uIOh27W+v8f+se+K8ETG7yyjD7r4uK1mWAltUyZfEr0p/7lXFU3cXPYt5DnSOi"
    "pQTxM4gfEVfvbqcJgrMI1hE8A1mvCwfh4/JScxpANdYgdEK2JnwM9ECjthh98UgdCAsuLXc2SdrTQ5sc"
    "bsExNV/brEmSMzzdyZDpEEfNdh0meRYfXb6/xEzT+KlW4MSO1cXIvV7tn/clpg/cxBcFcv/0uGdcexWU"
    "1/r3zN8/8SpkOt12U4nkev95vEXDCh151xs1xftGP+8lHFXIKEHyk/g+vhlu9kuQIt96YJorbneZIHp9"
    "VN/IPFei24cS/9YIfLoqf4BZUj4DaVeD87f8nSCXYUwWYkUoE1hxj5nkbwN463800l+LQNoVmn4VxnYb"
    "ZrOuSM+EyhbTHcIROeAblAO6j8Gc4VIwIRm2EEoo8kuQXjcabv/Q43HKL8Nkz5b21NjPuQISeXNAg9wF"
    "5D+NSVxQu/vumI7eO+q1NQ655Mh/IwIz4Yb1rKemJjl1JRAfqr6Mabzv3iYMxsz/JAbjAT+jf9Lvm2pN"
    "w3FkV8qFgb7JfVokdLRNEBzo6uoI6oDn/3TPlP7g8SRMoeVWd5tGhy6y2miNVL8mESTyfxH11i9mz0By"
    "u/xmufJ2WaMDRN9cL2xsqo6Q6uZ6aRFjilmYWi0vld4pLVU3MTQobYqBKBGIVogAQYwa/yWA+1QEOM7f"
    "AxS2CqqhQoAT3K9PYNVEIeBj1Nqv2loEKElfRKyXNlSIIqAU4I574RaB0ryyyttVfJutVREdERzoGwCM"
    "eVY3cSpa9f11SZGllyy9Q6smbG9gPB9PZbRM8e1nlOi7Ec6X4vBC72d072FC08aMbdC3dC9BZombdIVm"
    "uB/OkQpG5Idz+TzAMoURIThRH84qRRQhODGFg5NtD0KKBxldWwjBSfQwCkUaV0hnIF3EoCUEJeXjs8nx"
    "TghS2reg4mHHdEJw3E8LvxgJ/7Zw/G0pf9XecPWIHxiqfWvvYAz7qB8afpiEGwNDXapvPuAo2dr5lImR"
    "w6Cqxwhdyn+YgOktxazCvDgX138GElRxUCdm4E4ojKAXmPuthCgW+mD6BqRq+41m3TbVZd0nH5XvvPhv"
    "w9w1kUvN1LcB6FqGL+3VyVd4ZK7eJ4XC0es/DxNO06KQTKQj6u5v+dFZIxuVJHnLvgGa78qBEn1bHlAn"
    "w28XKWm29dtwnK69a/tm7UHbki34dOSrAkyP8s671pO7CZO9spuEJNenZBNlgjLsplUzmr7yRK6GCXuv"
    "dIKndiB9j6p2Bd8aKeDhc+mNeCquJTY0i6/yDbrYczqo2bkmHA+X0xk44TYkeSWXwKJxet4q3/Sn4Hhg"
    "91wKLnjlMZXoFWxfO4c0LN8XtO8+uyKva/U/moWrgxNcXGl9lMUP/gj7meS3uSMX1I5e+8wdLcfPPZ5/"
    "zP8wIkpQdb+/Ox/0d7O99TWJrFdAr1mtmm12zKqqGyu3c20AkfALi5JM1VJlovGzMBM+EswUXgtmCmf6"
    "puplwpnHt5N4OPpW/ywc8D3I1s22icF9q9ZAAU4+Jb7P2gMvQKbrmLbUkDDny5LbRhzBBxPiC5DAcNns"
    "SHc704ddoFEuAHhtKWP9VQrGVTsl0NVryg6lfnT1BlzUmNkxbLoz7NFE2XR3ro+4iOi9GiLmpYuejtHq"
    "cP02bN5FiSDQ3aIyDEB3282ewzNusma0OWeRxRcuUvXcEyxKFHG0INkyaOTpfObr8JdgmYVXBhgY/+1t"
    "uLSfWZj0HbHsyLkWpl/D08E90aqsBOwZuCiWwUSy9xClX6qYCzmwNT4gN2A6dP6A/b4ctN9c75t41HwH"
    "KSspohNiwxfh5Osw2aOXdGo30Po6jd2GvNyjrk33kic69DZo2vddGZ/RdB2UvwTg6TPlmqz2Vb6upsYy"
    "3114/udgPKDPdA0S4iNFg8EVXxcHpa5ydXNht02Un+Zvw0RQQ3qO6hNwrN8MRA/I1yIYVYT5Rrr65Kqg"
    "aAEV/juhF+FUzWhZ1PPpaxCter1bsdFpOcZ1sufWI4uPLu78WQRODDRU/QWY6XvHalAGhr3XpXZNirXw"
    "SK3Lnm3qa1UdkG3LaciwS2GLT15i/bsSH7ErebnnyjlQEGZhXmF0VK9kOv/dqERSnuvpf7ocvNSKDbrU"
    "ij/2pVbiSJdarkqKqz7v24MkP1fgleDnBL4uYzdC9VVpUv2d1gE55v8nAln/dmB0kKEInD50ot2LjNZT"
    "FFzDqaLl71t1lnSKCuy9Cp8YzegWZD7VEEUmdA7yE8eXBinO/BuNzqJAJR/jPfGvcpSWC9tr9DXVGEQr"
    "ZS2iJyFWWV7WougHY1pcZA/5F6VaqZOm90v+fAEmgi6Vr1jpLjXgIBLCp3MC4o2IK/GPItb/fgzODo31"
    "Qz5uz381CinOWMh3o18mjyy6nkQE7/MKc+IcDYyI9IhPRvHeVttfNsS858B4nzqoHphmW5QLuU9/37Dr"
    "Zl3eJJ+DUzTsz0JNXNFhtVXdxx1xWAmi+k95R1CStaLv+La5cdPlsmzZB0ZHnk35GzA7YAjPuzHxCZVQ"
    "lXtXUVXo/wUtWvwcfcESuKzsdhrNIofB9rNv13F398uz/V86ugzoxH2cDO5ofS9H7an+P70YzT16nps7"
    "krkcMXvMfy0J2bu4D26TzcdhnPfFbbUQbjTQVO0n4AfVwnAB0qo5aFeeXNMh3TCMyIuVzdJ9iK5xL9L3"
    "OM2mKU5l0fpB58LlgetZdNHxScSgBXR8ypszj0R/O2aAx6bCdlm8BhPB4E+2dAaCA44TqV2QVn4TYyDf"
    "5jFNMrxtxZ8h534chYxfphhHeoZS9X+IQZ+QaHSIttuiYZc/bxdi14Ot9fxdxnlIoRGJVqXYkCCfPlMx"
    "9hyWNLfzeKzc+cX3OBiS+cbQm7jjY2rcXZ/61oWieEe23myC5kZcGG0ajqnO/dtH0Tf3UC0IWlFLuAnT"
    "YfCRLdoV0EN0J0B1MZi/BIKTAC0zvAvH+hUpwO9CkF9AmfykXMb4QQzGA5Por0OaS3q+nzXID1wS98jJ"
    "3yu4DbBDFwF+jXlpMCVfGnikot+CSWOjSPmSxCMVv67CpPFRpHxRI0lvCNVlwkR/7SdIiDosyHInIKXe"
    "2ttxTsFyOUi7rxUcy+ZegLS7bowRfWP8ew007i4uOM4/4JCbh6RcAwX73ugAg3M7Br4TAxDBPXelT/hT"
    "PBTCTYCaZWFqYtiOyqdCfiuRe4AXLWuT8ZCuCBrH1Zj4qDhICvH8QGqJ7pYj3KQl+gg/3BMbnbvkTEi7"
    "ayVfIyr5IYHcSZhCGTVqPYMilnsRZjH3d0zZv+NH4Jgu94C+vwi8FDrPtHt3LK1ncBONfomE7yYnotQ5"
    "Ey6+IkDKbNWseqO1l//DGGT9powJxpjMtyP9nyv5MdF2CE19DpAUGbWa+9xAsorAE3QUy3J64w9wb0FK"
    "emNHHqfnB3JbkojCt5Yg419VwJmdCzqzAcJhz7gM2cAqH5fPHRgPrC/I6HyQ0aBOBnaudyEbOL0vQ0Yq"
    "ER+XkWFLoa5ylYEc5XdGJ93z7COMxL8b7f/doZ5Y8wBdZTMkFD96BJ+vyorZXWJFnxz7OFcdTJUOjEAI"
    "Qx+nZjwuTtjX3P7Tv/iVYYLVvLk/Osn+L4V8ndM="
)


@functools.cache
def pool() -> Any:
    """The private DescriptorPool holding TF's SavedModel types (package `tensorflow`)."""
    from google.protobuf import descriptor_pb2, descriptor_pool

    files = descriptor_pb2.FileDescriptorSet.FromString(zlib.decompress(base64.b64decode("".join(_BLOB))))
    result = descriptor_pool.DescriptorPool()
    for file in files.file:
        result.Add(file)
    return result


@functools.cache
def saved_model_class() -> Any:
    """TF's `tensorflow.SavedModel` message class, from the private pool."""
    from google.protobuf import message_factory

    return message_factory.GetMessageClass(pool().FindMessageTypeByName("tensorflow.SavedModel"))
